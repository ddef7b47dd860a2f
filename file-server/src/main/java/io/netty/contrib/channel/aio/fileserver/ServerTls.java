/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.SSLException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS setup, built once at startup from a PEM certificate chain and a PEM (PKCS#8) private key:
 * OpenSSL (BoringSSL through netty-tcnative) when it loads, the JDK's provider otherwise; TLS 1.3 and 1.2 with
 * HTTP/2's cipher list; ALPN offering {@code h2} and {@code http/1.1}; sessions resumable (a server-side session
 * cache, and TLS 1.3 tickets, both providers' defaults, with the cache's size and lifetime set here).
 *
 * <p>Everything a user can get wrong is checked here, before the server listens, and refused with a message
 * naming the file and what is wrong with it: a missing or unreadable file, no certificate in it, a certificate
 * expired or not yet valid, a key that is not PKCS#8, a key that does not belong to the certificate.
 *
 * <p>Immutable and thread-safe.
 */
final class ServerTls {
    /** Sessions kept for resumption (each a few hundred bytes). */
    static final int SESSION_CACHE_SIZE = 20_000;
    /** How long a session may be resumed, as nginx's {@code ssl_session_timeout} default. */
    static final int SESSION_TIMEOUT_SECONDS = 300;

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    /** Which TLS implementation to use. */
    enum Provider {
        /** OpenSSL when it loads, else the JDK's. */
        AUTO,
        OPENSSL,
        JDK
    }

    private final SslContext context;
    private final String provider;
    private final X509Certificate certificate;

    private ServerTls(SslContext context, String provider, X509Certificate certificate) {
        this.context = context;
        this.provider = provider;
        this.certificate = certificate;
    }

    /**
     * Loads and checks the certificate chain and key.
     *
     * @throws IllegalArgumentException with a message for the user, naming the option and the file
     */
    static ServerTls load(Path certFile, Path keyFile, Provider provider) {
        List<X509Certificate> chain = readChain(certFile);
        X509Certificate leaf = chain.get(0);
        Instant now = Instant.now();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new IllegalArgumentException("--tls-cert " + certFile + ": certificate expired on "
                    + leaf.getNotAfter().toInstant() + " (subject " + leaf.getSubjectX500Principal().getName() + ")");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new IllegalArgumentException("--tls-cert " + certFile + ": certificate not valid before "
                    + leaf.getNotBefore().toInstant() + " (subject " + leaf.getSubjectX500Principal().getName()
                    + ")");
        }
        PrivateKey key = readKey(keyFile, leaf.getPublicKey());
        if (!belongsTo(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("--tls-key " + keyFile + ": this key does not belong to the "
                    + "certificate in " + certFile + " (subject " + leaf.getSubjectX500Principal().getName() + ")");
        }
        SslProvider sslProvider;
        switch (provider) {
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("--tls-provider openssl: OpenSSL (netty-tcnative) is not "
                            + "available: " + FileServerCommand.describe(OpenSsl.unavailabilityCause()));
                }
                sslProvider = SslProvider.OPENSSL;
                break;
            case JDK:
                sslProvider = SslProvider.JDK;
                break;
            default:
                sslProvider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
                break;
        }
        try {
            SslContext context = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(sslProvider)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .sessionCacheSize(SESSION_CACHE_SIZE)
                    .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                    .build();
            String name = sslProvider == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK";
            return new ServerTls(context, name, leaf);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("--tls-cert " + certFile + ", --tls-key " + keyFile + ": "
                    + FileServerCommand.describe(e), e);
        }
    }

    SslContext context() {
        return context;
    }

    /** For the startup line: the provider and the certificate's subject and expiry. */
    String describe() {
        return provider + ", " + certificate.getSubjectX500Principal().getName() + " until "
                + certificate.getNotAfter().toInstant();
    }

    private static List<X509Certificate> readChain(Path certFile) {
        byte[] pem = readFile("--tls-cert", certFile);
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("--tls-cert " + certFile
                    + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        Collection<? extends java.security.cert.Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("--tls-cert " + certFile + ": not a PEM certificate chain: "
                    + FileServerCommand.describe(e), e);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (java.security.cert.Certificate c : certs) {
            chain.add((X509Certificate) c);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--tls-cert " + certFile
                    + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey readKey(Path keyFile, PublicKey certKey) {
        String pem = new String(readFile("--tls-key", keyFile), StandardCharsets.US_ASCII);
        Matcher m = PEM_KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("--tls-key " + keyFile
                    + ": no private key in it (expected -----BEGIN PRIVATE KEY-----)");
        }
        if (!m.group(1).isEmpty()) {
            // Netty without Bouncy Castle reads PKCS#8 only; say how to convert rather than fail at the handshake.
            throw new IllegalArgumentException("--tls-key " + keyFile + ": a " + m.group(1).trim().toLowerCase(
                    Locale.ROOT) + " private key; only unencrypted PKCS#8 ('BEGIN PRIVATE KEY') is read: convert it "
                    + "with 'openssl pkcs8 -topk8 -nocrypt -in " + keyFile + "'");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls-key " + keyFile + ": bad base64 in the PEM block", e);
        }
        try {
            return KeyFactory.getInstance(certKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-key " + keyFile + ": not a " + certKey.getAlgorithm()
                    + " private key as the certificate's: " + FileServerCommand.describe(e), e);
        }
    }

    /** Whether a signature made with {@code key} verifies with {@code publicKey}. */
    private static boolean belongsTo(PrivateKey key, PublicKey publicKey) {
        String algorithm;
        switch (publicKey.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            case "Ed25519":
            case "Ed448":
            case "EdDSA":
                algorithm = publicKey.getAlgorithm();
                break;
            default:
                // An algorithm this check does not know: the handshake will tell.
                return true;
        }
        try {
            byte[] probe = "aio-file-server key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] readFile(String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read: "
                    + FileServerCommand.describe(e), e);
        }
    }
}
