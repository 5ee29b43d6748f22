package io.campanello.cli;

import java.io.IOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Reads a cursor-paged list ({@code {items, nextCursor}}) page after page until it has enough items or ends. */
final class CursorPages {

    /** The URL of the next page: how many items are still wanted, and the cursor (null for the first page). */
    @FunctionalInterface
    interface PageUrl {
        String of(int wanted, String cursor);
    }

    /**
     * The items read, at most the limit, and the cursor to go on from (null when the list ended).
     */
    record Collected(ArrayNode items, String nextCursor) {}

    private CursorPages() {}

    static Collected collect(ApiClient api, int limit, PageUrl pageUrl) throws IOException, InterruptedException {
        ArrayNode items = Json.object().arrayNode();
        String cursor = null;
        do {
            JsonNode page = api.get(pageUrl.of(limit - items.size(), cursor));
            for (JsonNode item : page.path("items")) {
                if (items.size() < limit) {
                    items.add(item);
                }
            }
            cursor =
                    page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
        } while (cursor != null && items.size() < limit);
        return new Collected(items, cursor);
    }
}
