package io.campanello.dispatcher.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust for endpoints' certificates: the JDK's certificate authorities, plus those of an optional PEM bundle. */
final class TrustedAuthorities {

    private TrustedAuthorities() {}

    /** Trusts a server that the JDK trusts or that one of the bundle's authorities signed. */
    static X509TrustManager jdkAnd(Path caBundle) {
        X509TrustManager jdk = trustManager(null);
        X509TrustManager bundle = trustManager(load(caBundle));
        return new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    jdk.checkServerTrusted(chain, authType);
                } catch (CertificateException notByTheJdk) {
                    bundle.checkServerTrusted(chain, authType);
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return Stream.concat(
                                Arrays.stream(jdk.getAcceptedIssuers()), Arrays.stream(bundle.getAcceptedIssuers()))
                        .toArray(X509Certificate[]::new);
            }
        };
    }

    private static KeyStore load(Path caBundle) {
        try (InputStream in = Files.newInputStream(caBundle)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate :
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new IllegalArgumentException("no certificate in the CA bundle " + caBundle);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA bundle " + caBundle, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA bundle " + caBundle, e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast)
                    .findFirst()
                    .orElseThrow();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no X.509 trust manager", e);
        }
    }
}
