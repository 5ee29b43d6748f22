package io.campanello.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12.2 refuses to load any class by name unless it is trusted, and by default trusts only a few JDK
 * classes; decoding our own generated records would fail with "Forbidden …". This trusts our schema packages.
 */
public final class AvroTrust {

    private static final String SCHEMA_PACKAGE_PREFIX = "io.campanello.schemas.";
    private static boolean installed;

    private AvroTrust() {}

    /** Idempotent; called before the first decode by {@link AvroDeserializer}. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                previous, type -> type.getName().startsWith(SCHEMA_PACKAGE_PREFIX)));
        installed = true;
    }
}
