/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.docs;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles every {@code ```java} block of {@code README.md} and {@code docs/*.md} against this module's test class
 * path (the transport, the file server, the framework integrations, netty-handler, netty-codec-http), so that a
 * snippet naming a class, method or option that does not exist fails the build with the file, the block's line and
 * the compiler's diagnostics.
 *
 * <p>A block with a top-level {@code class}, {@code interface}, {@code record} or {@code enum} declaration is a
 * whole compilation unit and is compiled as it is. Any other block is a fragment: its leading {@code import} lines
 * are hoisted above a class whose one method, {@code void snippet() throws Exception}, holds the rest, and the
 * class also gets the fixed imports in {@link #FRAGMENT_IMPORTS} — the transport's user-facing packages and the
 * Netty types nearly every snippet names. Anything else a fragment uses it imports itself, so the reader sees where
 * it comes from. Blocks in other languages ({@code xml}, {@code kotlin}, {@code sh}) are not compiled; the Maven
 * snippet is built for real by {@code consumer-it}.
 *
 * <p>Each block is compiled on its own, so two blocks may declare the same names. Class files are discarded.
 */
class DocsSnippetsCompileTest {
    /**
     * The Java blocks the documentation holds today. The test fails when it finds fewer (an extractor that finds
     * nothing must not pass); raise it when adding snippets.
     */
    private static final int EXPECTED_SNIPPETS = 22;

    /**
     * Imports every fragment gets. On-demand imports only of packages whose public type names do not clash with
     * each other; single types for the JDK.
     */
    static final List<String> FRAGMENT_IMPORTS = List.of(
            "import io.netty.bootstrap.*;",
            "import io.netty.buffer.*;",
            "import io.netty.channel.*;",
            "import io.netty.util.concurrent.Future;",
            "import io.netty.contrib.channel.aio.*;",
            "import io.netty.contrib.channel.aio.file.*;",
            "import io.netty.contrib.channel.aio.fd.*;",
            "import java.nio.file.Path;",
            "import java.util.concurrent.TimeUnit;",
            "import static java.nio.file.StandardOpenOption.*;");

    private static final Pattern FENCE_OPEN = Pattern.compile("^\\s*```\\s*(\\S*)\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed|non-sealed)\\s+)*(class|interface|record|enum)\\s+(\\w+)",
            Pattern.MULTILINE);
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed)\\s+)*(?:class|interface|record|enum)\\s+(\\w+)",
            Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");

    /** One {@code ```java} block: where it is, and its text. */
    record Snippet(Path file, int line, List<String> lines) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    @Test
    void everyJavaSnippetCompiles() throws IOException {
        Path root = Path.of(System.getProperty("docs.root", "..")).toAbsolutePath().normalize();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path page : pages) {
            snippets.addAll(javaBlocks(page));
        }
        assertTrue(snippets.size() >= EXPECTED_SNIPPETS, "found " + snippets.size() + " Java snippets in " + pages
                + ", expected at least " + EXPECTED_SNIPPETS + ": is the extractor broken?");

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "no system Java compiler: run the tests on a JDK, not a JRE");
        String classPath = System.getProperty("java.class.path");
        assertTrue(classPath.split(java.io.File.pathSeparator).length > 1,
                "the test class path is not visible as java.class.path: " + classPath);

        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Snippet snippet : snippets) {
            String failure = compile(compiler, classPath, snippet, n++);
            if (failure != null) {
                failures.add(failure);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + snippets.size() + " Java snippets do not compile:\n\n"
                    + String.join("\n", failures));
        }
        System.out.println("compiled " + snippets.size() + " Java snippets from " + pages.size() + " pages");
    }

    @Test
    void aBrokenSnippetIsReportedWithItsFileAndLine() throws IOException {
        Path page = Path.of(System.getProperty("java.io.tmpdir", "target"), "broken-snippet.md");
        Files.createDirectories(page.getParent());
        Files.writeString(page, "# Broken\n\ntext\n\n```java\nAioEventLoopGroup group = new AioEventLoopGroup();\n"
                + "group.noSuchMethod();\n```\n");
        List<Snippet> blocks = javaBlocks(page);
        assertEquals(1, blocks.size());
        String failure = compile(ToolProvider.getSystemJavaCompiler(), System.getProperty("java.class.path"),
                blocks.get(0), 0);
        assertNotNull(failure, "a call to a method that does not exist compiled");
        assertTrue(failure.contains("broken-snippet.md:5") && failure.contains("noSuchMethod")
                && failure.contains("line 7"), failure);
    }

    /** The {@code ```java} blocks of {@code page}, each with the line number of its opening fence. */
    static List<Snippet> javaBlocks(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<Snippet> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE_OPEN.matcher(lines.get(i));
            if (!open.matches() || open.group(1).isEmpty()) {
                continue;
            }
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.size() && !FENCE_CLOSE.matcher(lines.get(i)).matches(); i++) {
                body.add(lines.get(i));
            }
            if (i == lines.size()) {
                fail(page.getFileName() + ":" + (start + 1) + ": a ```" + open.group(1) + " block is never closed");
            }
            if (open.group(1).toLowerCase(Locale.ROOT).equals("java")) {
                blocks.add(new Snippet(page, start + 1, body));
            }
        }
        return blocks;
    }

    /** Compiles one snippet; returns null, or what went wrong with the lines given as lines of the page. */
    private static String compile(JavaCompiler compiler, String classPath, Snippet snippet, int n)
            throws IOException {
        String text = String.join("\n", snippet.lines()) + "\n";
        String source;
        String className;
        int firstLineOfBlock; // the line of the generated source that holds the block's first line (1-based)
        if (TOP_LEVEL_TYPE.matcher(text).find()) {
            Matcher pub = PUBLIC_TYPE.matcher(text);
            className = pub.find() ? pub.group(1) : "Snippet" + n;
            source = text;
            firstLineOfBlock = 1;
        } else {
            // Hoist the block's leading imports (and the blank or comment lines among them).
            List<String> lines = snippet.lines();
            int bodyStart = 0;
            List<String> ownImports = new ArrayList<>();
            while (bodyStart < lines.size()) {
                String l = lines.get(bodyStart).trim();
                if (IMPORT.matcher(l).matches()) {
                    ownImports.add(l);
                } else if (!l.isEmpty() && !l.startsWith("//")) {
                    break;
                }
                bodyStart++;
            }
            className = "Snippet" + n;
            StringBuilder sb = new StringBuilder();
            for (String imp : FRAGMENT_IMPORTS) {
                sb.append(imp).append('\n');
            }
            for (String imp : ownImports) {
                sb.append(imp).append('\n');
            }
            sb.append("class ").append(className).append(" {\n");
            sb.append("    void snippet() throws Exception {\n");
            firstLineOfBlock = (int) sb.chars().filter(c -> c == '\n').count() + 1 - bodyStart;
            for (String l : lines.subList(bodyStart, lines.size())) {
                sb.append(l).append('\n');
            }
            sb.append("    }\n}\n");
            source = sb.toString();
        }

        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8);
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok;
        try (JavaFileManager discarding = new DiscardingFileManager(standard)) {
            ok = compiler.getTask(null, discarding, diagnostics,
                    List.of("-classpath", classPath, "-proc:none", "-Xlint:none", "--release", "17"), null,
                    List.of(unit)).call();
        }
        if (ok) {
            return null;
        }
        int blockFirstPageLine = snippet.line() + 1;
        String report = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> {
                    long pageLine = d.getLineNumber() - firstLineOfBlock + blockFirstPageLine;
                    String at = d.getLineNumber() >= firstLineOfBlock
                            && pageLine < blockFirstPageLine + snippet.lines().size()
                            ? "line " + pageLine : "wrapper line " + d.getLineNumber();
                    return "    " + at + ": " + d.getMessage(Locale.ROOT);
                })
                .collect(Collectors.joining("\n"));
        return snippet.where() + " (the ```java block opening there):\n" + report + "\n";
    }

    /** Compiles without writing class files anywhere. */
    private static final class DiscardingFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
        DiscardingFileManager(StandardJavaFileManager delegate) {
            super(delegate);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("discarded:///" + className.replace('.', '/')
                    + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return OutputStream.nullOutputStream();
                }
            };
        }
    }
}
