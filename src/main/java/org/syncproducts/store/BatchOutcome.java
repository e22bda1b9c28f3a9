package org.syncproducts.store;

/** What writing one batch did to the products table (or, in a dry run, would do). */
public record BatchOutcome(long added, long updated) {
}
