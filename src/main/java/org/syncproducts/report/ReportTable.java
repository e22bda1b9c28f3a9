package org.syncproducts.report;

import java.util.List;

/**
 * The data behind a chart as a plain table, for screen readers and for copying into a
 * spreadsheet. Cells are text; the template escapes them.
 */
record ReportTable(String caption, List<String> headers, List<Row> rows) {
    ReportTable {
        headers = List.copyOf(headers);
        rows = List.copyOf(rows);
    }

    /** Whether there is any row (the template shows a note instead of an empty table). */
    boolean hasRows() {
        return !rows.isEmpty();
    }

    /** One row of cells, in header order. */
    record Row(List<String> cells) {
        Row {
            cells = List.copyOf(cells);
        }
    }

    /** A table from rows given as lists of cells. */
    static ReportTable of(String caption, List<String> headers, List<List<String>> rows) {
        return new ReportTable(caption, headers, rows.stream().map(Row::new).toList());
    }
}
