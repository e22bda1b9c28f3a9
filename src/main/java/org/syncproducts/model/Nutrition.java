package org.syncproducts.model;

import java.math.BigDecimal;
import java.util.stream.Stream;

/**
 * Nutrition facts per 100 g (or 100 ml), each value in grams except energy in kcal. Any value may
 * be null (unknown).
 */
public record Nutrition(
        BigDecimal energyKcal,
        BigDecimal fat,
        BigDecimal saturatedFat,
        BigDecimal carbohydrates,
        BigDecimal sugars,
        BigDecimal fiber,
        BigDecimal proteins,
        BigDecimal salt,
        BigDecimal sodium) {

    public static final Nutrition EMPTY = new Nutrition(null, null, null, null, null, null, null, null, null);

    /** True when at least one value is known. */
    public boolean isPresent() {
        return energyKcal != null || fat != null || saturatedFat != null || carbohydrates != null || sugars != null
                || fiber != null || proteins != null || salt != null || sodium != null;
    }

    /** The value of {@link ProductField#NUTRIENTS}{@code .get(index)}, without the stream of {@link #values()}. */
    public BigDecimal value(int index) {
        return switch (index) {
            case 0 -> energyKcal;
            case 1 -> fat;
            case 2 -> saturatedFat;
            case 3 -> carbohydrates;
            case 4 -> sugars;
            case 5 -> fiber;
            case 6 -> proteins;
            case 7 -> salt;
            case 8 -> sodium;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    /** The values in the fixed column order of {@link ProductField#NUTRIENTS}. */
    public Stream<BigDecimal> values() {
        return Stream.of(energyKcal, fat, saturatedFat, carbohydrates, sugars, fiber, proteins, salt, sodium);
    }

    /** Builds a value from {@link ProductField#NUTRIENTS}-ordered values. */
    public static Nutrition of(BigDecimal[] values) {
        return new Nutrition(values[0], values[1], values[2], values[3], values[4], values[5], values[6],
                values[7], values[8]);
    }
}
