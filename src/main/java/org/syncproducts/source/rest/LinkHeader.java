package org.syncproducts.source.rest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/** The {@code rel="next"} target of RFC 8288 {@code Link} headers, as GitHub and many APIs send them. */
final class LinkHeader {
    /** One link-value: {@code <target>; param; param}. */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile("(?i)rel\\s*=\\s*(\"([^\"]*)\"|([^\\s;,\"]+))");

    private LinkHeader() {
    }

    /** The next page's URL, resolved against {@code base}, or null when no header names one. */
    static HttpUrl next(Headers headers, HttpUrl base) {
        for (String value : headers.values("Link")) {
            Matcher link = LINK.matcher(value);
            while (link.find()) {
                Matcher rel = REL.matcher(link.group(2));
                if (rel.find()) {
                    String relations = rel.group(2) != null ? rel.group(2) : rel.group(3);
                    for (String relation : relations.toLowerCase(Locale.ROOT).split("\\s+")) {
                        if (relation.equals("next")) {
                            return base.resolve(link.group(1).strip());
                        }
                    }
                }
            }
        }
        return null;
    }
}
