package io.campanello.standalone;

import java.util.List;
import java.util.Map;

/** The plain HTML page of a bin: its requests, newest first, refreshed every two seconds. */
final class InspectorPage {

    private InspectorPage() {}

    static String of(String binId, String binUrl, List<ReceivedRequest> requests) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">")
                .append("<title>Campanello inspector – ")
                .append(escape(binId))
                .append("</title><style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;padding:.5em;")
                .append("white-space:pre-wrap}.ok{color:#070}.bad{color:#a00}section{border-top:1px solid #ccc}")
                .append("</style></head><body><h1>Bin ")
                .append(escape(binId))
                .append("</h1><p>Subscription URL: <code>")
                .append(escape(binUrl))
                .append("</code> · ")
                .append(requests.size())
                .append(" request(s), newest first · <a href=\"")
                .append(escape(binId))
                .append("/requests\">JSON</a></p>");
        for (ReceivedRequest request : requests) {
            html.append("<section><h3>")
                    .append(escape(request.method()))
                    .append(' ')
                    .append(escape(request.path()))
                    .append(" <small>")
                    .append(escape(request.receivedAt()))
                    .append("</small></h3>");
            if (request.signature() != null) {
                html.append("<p class=\"")
                        .append(
                                request.signature().verified()
                                        ? "ok\">✔ signature verified"
                                        : "bad\">✘ signature not verified")
                        .append(": ")
                        .append(escape(request.signature().detail()))
                        .append("</p>");
            }
            html.append("<pre>");
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                html.append(escape(header.getKey()))
                        .append(": ")
                        .append(escape(header.getValue()))
                        .append('\n');
            }
            html.append("</pre><pre>").append(escape(request.body())).append("</pre></section>");
        }
        return html.append("</body></html>").toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
