package io.campanello.dispatcher.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Writes an event, as a JSON tree, as well-formed XML 1.0 whatever its keys and values hold. A key that is a plain
 * XML name (ASCII letters, digits, {@code _ - .}; starting with a letter or {@code _}, but not with {@code xml}) is
 * the element's name; any other key becomes {@code <entry key="the key">}. An array becomes one element
 * per item, named after its key ({@code item} inside a nested array); null an empty element. Characters XML 1.0
 * cannot carry (control characters other than tab, line feed and carriage return; unpaired surrogates; U+FFFE and
 * U+FFFF) are replaced by U+FFFD, in text and in the {@code key} attribute alike.
 */
final class XmlPayload {

    static final String ROOT = "event";
    static final String ENTRY = "entry";
    static final String KEY = "key";
    static final String ITEM = "item";
    private static final char REPLACEMENT = '\uFFFD';

    private XmlPayload() {}

    /** The event's fields under one {@code <event>} element, UTF-8, without an XML declaration. */
    static byte[] write(JsonNode event) {
        StringBuilder out = new StringBuilder(256);
        out.append('<').append(ROOT).append('>');
        for (Map.Entry<String, JsonNode> field : event.properties()) {
            element(out, field.getKey(), field.getValue());
        }
        out.append("</").append(ROOT).append('>');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void element(StringBuilder out, String key, JsonNode value) {
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (item.isArray()) {
                    open(out, key);
                    for (JsonNode inner : item) {
                        element(out, ITEM, inner);
                    }
                    close(out, key);
                } else {
                    element(out, key, item);
                }
            }
            return;
        }
        open(out, key);
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                element(out, field.getKey(), field.getValue());
            }
        } else if (!value.isNull()) {
            text(out, value.isString() ? value.stringValue() : value.asString(), false);
        }
        close(out, key);
    }

    private static void open(StringBuilder out, String key) {
        if (isPlainName(key)) {
            out.append('<').append(key).append('>');
        } else {
            out.append('<').append(ENTRY).append(' ').append(KEY).append("=\"");
            text(out, key, true);
            out.append("\">");
        }
    }

    private static void close(StringBuilder out, String key) {
        out.append("</").append(isPlainName(key) ? key : ENTRY).append('>');
    }

    /**
     * Escapes markup and replaces what XML 1.0 cannot carry. Carriage returns (and in attributes tabs and line feeds)
     * are written as character references, so that a parser's normalisation gives back the very same text.
     */
    static void text(StringBuilder out, String value, boolean attribute) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                default -> {
                    if (isXmlChar(c)) {
                        out.appendCodePoint(c);
                    } else {
                        out.append(REPLACEMENT);
                    }
                }
            }
        }
    }

    /** XML 1.0's {@code Char}, less tab, line feed and carriage return, which the caller writes itself. */
    static boolean isXmlChar(int c) {
        return (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    }

    /**
     * A name every XML parser takes as it is, namespace-aware or not, whichever edition of XML 1.0's name rules it
     * follows: ASCII letters, digits, {@code _ - .}, starting with a letter or {@code _}; {@code xml…} names are
     * reserved.
     */
    static boolean isPlainName(String key) {
        if (key.isEmpty() || key.toLowerCase(Locale.ROOT).startsWith("xml") || !isNameStart(key.charAt(0))) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!isNameStart(c) && c != '-' && c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }
}
