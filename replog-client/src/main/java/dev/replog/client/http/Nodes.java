package dev.replog.client.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/** Node base URLs: {@code http(s)://host:port}, without a trailing slash. */
public final class Nodes {

    private Nodes() {
    }

    /** Each of {@code urls} checked and normalised; an empty list is refused. */
    public static List<URI> parse(List<String> urls, String what) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException(what + ": at least one node URL is required");
        }
        return urls.stream().map(String::trim).filter(url -> !url.isEmpty()).map(Nodes::base).distinct().toList();
    }

    /** {@code url} as a base URL; refuses anything but absolute http(s) URLs. */
    public static URI base(String url) {
        URI uri = URI.create(url.trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) node URL: \"" + url + "\"");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /**
     * The base URL of the node a redirect points at. {@code location} may be absolute or relative
     * to {@code from}, and may name the node alone or the request's own path at that node
     * ({@code http://m:8080/messages/batch?w=2}): the path of the request is cut off, so both forms
     * give {@code http://m:8080}.
     */
    public static URI redirectTarget(URI from, String location, String requestPath) {
        URI resolved = from.resolve(location.trim());
        String path = resolved.getRawPath() == null ? "" : resolved.getRawPath();
        if (!requestPath.isEmpty() && path.endsWith(requestPath)) {
            path = path.substring(0, path.length() - requestPath.length());
        }
        return base(resolved.getScheme() + "://" + resolved.getRawAuthority() + path);
    }
}
