package io.sigil.sync;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A remote's {@code include_tags} / {@code exclude_tags}: shell globs ({@code *}, {@code ?}, {@code [...]}) as
 * Pulp's fnmatch reads them. A tag is synced when it matches an include (or there are none) and no exclude.
 */
final class TagFilter {

    private final List<String> includes;
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    TagFilter(List<String> includes, List<String> excludes) {
        this.includes = includes == null ? List.of() : includes;
        this.include = this.includes.stream().map(TagFilter::glob).toList();
        this.exclude = (excludes == null ? List.<String>of() : excludes).stream().map(TagFilter::glob).toList();
    }

    boolean accepts(String tag) {
        return (include.isEmpty() || include.stream().anyMatch(p -> p.matcher(tag).matches()))
                && exclude.stream().noneMatch(p -> p.matcher(tag).matches());
    }

    /** When every include is a plain tag name, the tag list need not be fetched at all: each is asked for by name. */
    boolean exactOnly() {
        return !includes.isEmpty() && includes.stream().noneMatch(t -> t.matches(".*[*?\\[].*"));
    }

    List<String> exactTags() {
        return includes.stream().filter(this::accepts).distinct().toList();
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            int close = c == '[' ? glob.indexOf(']', i + 2) : -1;
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (close > 0) {
                String set = glob.substring(i + 1, close).replace("\\", "\\\\").replace("[", "\\[");
                regex.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                i = close;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
