/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificates and keys made at test time under {@code target/it/tls} with the openssl and keytool commands, and
 * clients that trust them: a valid self-signed RSA certificate for 127.0.0.1, an expired one, a key of another
 * certificate, and a traditional (PKCS#1) RSA key.
 */
final class TlsFiles {
    static final Path DIR = TestTree.WORK.resolve("tls");
    static final Path CERT = DIR.resolve("cert.pem");
    static final Path KEY = DIR.resolve("key.pem");
    static final Path EXPIRED_CERT = DIR.resolve("expired-cert.pem");
    static final Path EXPIRED_KEY = DIR.resolve("expired-key.pem");
    static final Path PKCS1_KEY = DIR.resolve("pkcs1-key.pem");

    private static boolean made;
    private static HttpClient h2Client;

    private TlsFiles() {
    }

    /** The options that start a server with the valid certificate. */
    static String[] serverArgs() {
        return new String[] {"--tls-cert", CERT.toString(), "--tls-key", KEY.toString()};
    }

    static synchronized void ensureMade() throws Exception {
        if (made) {
            return;
        }
        TestTree.ensureBuilt();
        Files.createDirectories(DIR);
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", KEY.toString(), "-out",
                CERT.toString(), "-days", "30", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        // keytool can back-date a certificate (openssl 3.0's req cannot): valid for two days in 2020.
        Path store = DIR.resolve("expired.p12");
        Files.deleteIfExists(store);
        run("keytool", "-genkeypair", "-alias", "expired", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=localhost", "-startdate", "2020/01/01 00:00:00", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        run("openssl", "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nokeys", "-out",
                EXPIRED_CERT.toString());
        run("openssl", "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nocerts", "-nodes", "-out",
                EXPIRED_KEY.toString());
        run("openssl", "genrsa", "-traditional", "-out", PKCS1_KEY.toString(), "2048");
        made = true;
    }

    /** The JDK's client speaking HTTP/2 (h2 by ALPN over TLS), trusting {@link #CERT}. */
    static synchronized HttpClient http2Client() throws Exception {
        ensureMade();
        if (h2Client == null) {
            h2Client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .sslContext(trusting(CERT))
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return h2Client;
    }

    static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Runs a command to its end; returns what it printed (stdout and stderr), failing on a non-zero status. */
    static String run(String... cmd) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
