package io.campanello.dispatcher.delivery;

import java.net.UnknownHostException;

/** A host that resolved only to addresses Campanello must not call (at connect time: no DNS-rebinding window). */
final class BlockedAddressException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    BlockedAddressException(String message) {
        super(message);
    }
}
