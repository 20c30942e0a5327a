package dev.mortgagelake.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a PromQL parser: it removes what cannot be a
 * metric name (string literals, label matchers in braces, label lists after by/without/on/ignoring/
 * group_left/group_right, range and subquery brackets, numbers and durations), then keeps every
 * identifier that is neither a function call (followed by "(") nor a keyword.
 */
final class PromqlMetricNames {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromqlMetricNames() {
    }

    static Set<String> of(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ");
        s = s.replaceAll("\\[[^]]*]", " ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group(1);
            boolean call = m.group(2) != null;
            boolean number = s.substring(0, m.start()).matches("(?s).*\\d$"); // e.g. the "e5" of 1e5 or the "h" of 1h
            if (!call && !number && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }
}
