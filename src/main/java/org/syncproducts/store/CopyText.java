package org.syncproducts.store;

import java.util.List;

/**
 * Builds rows in PostgreSQL's COPY text format: tab between columns, {@code \N} for null, and
 * backslash, tab, newline and carriage return escaped. Arrays use the {@code {"a","b"}} literal.
 */
final class CopyText {
    private final StringBuilder row = new StringBuilder(1024);
    private boolean first = true;

    CopyText reset() {
        row.setLength(0);
        first = true;
        return this;
    }

    CopyText add(String value) {
        separate();
        if (value == null) {
            row.append("\\N");
        } else {
            escapeInto(value, row);
        }
        return this;
    }

    CopyText add(Object value) {
        return add(value == null ? null : value.toString());
    }

    CopyText addArray(List<String> values) {
        separate();
        StringBuilder literal = new StringBuilder(values.size() * 16 + 2).append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"');
            String value = values.get(i);
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        escapeInto(literal.append('}').toString(), row);
        return this;
    }

    /** The row with its terminating newline. */
    String endRow() {
        return row.append('\n').toString();
    }

    private void separate() {
        if (!first) {
            row.append('\t');
        }
        first = false;
    }

    private static void escapeInto(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
