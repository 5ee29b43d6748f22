package io.campanello.standalone;

import io.campanello.kafka.SecretCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The key that seals subscription secrets, kept next to the broker's data: generated at the first start, read at
 * every later one, so the subscriptions on the kept topic stay readable. Readable by its owner only.
 */
final class SecretsKeyFile {

    private static final String NAME = "secrets.key";

    private SecretsKeyFile() {}

    static String readOrCreate(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve(NAME);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, SecretCipher.generateKey(), StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException createdMeanwhile) {
                    // another start won the race; read what it wrote
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
