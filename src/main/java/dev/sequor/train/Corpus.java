package dev.sequor.train;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training texts: a UTF-8 file, or the corpus Sequor ships — the project's own notes and
 * derivations ({@code notes/*.md}, {@code math/*.md}), packaged as resources under
 * {@value #RESOURCE_DIR} and listed from a directory or from the jar alike.
 */
public final class Corpus {
  private Corpus() {}

  /** Where the build puts the shipped corpus on the class path. */
  public static final String RESOURCE_DIR = "dev/sequor/corpus";

  /** A named text. */
  public record Text(String name, String text) {}

  /** Reads a file as strict UTF-8; a malformed byte sequence is an IOException giving its offset. */
  public static Text read(Path file) throws IOException {
    return new Text(file.toString(), decode(Files.readAllBytes(file), file.toString()));
  }

  /** The shipped corpus: every {@code .md} under {@value #RESOURCE_DIR}, in path order, joined by blank lines. */
  public static Text shipped() throws IOException { return shipped(Corpus.class.getClassLoader()); }

  static Text shipped(ClassLoader loader) throws IOException {
    URL url = loader.getResource(RESOURCE_DIR);
    if (url == null) throw new IOException("this build ships no corpus (" + RESOURCE_DIR + " is not on the class path)");
    List<String> parts;
    try {
      if (url.getProtocol().equals("jar")) {
        String s = url.toString();
        java.net.URI jar = java.net.URI.create(s.substring(0, s.indexOf("!/")));
        FileSystem fs;
        boolean close = false;
        try {
          fs = FileSystems.newFileSystem(jar, Map.of());
          close = true;
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(jar);
        }
        try {
          parts = readAll(fs.getPath(RESOURCE_DIR));
        } finally {
          if (close) fs.close();
        }
      } else {
        parts = readAll(Path.of(url.toURI()));
      }
    } catch (URISyntaxException e) {
      throw new IOException("cannot list the shipped corpus at " + url, e);
    }
    if (parts.isEmpty()) throw new IOException("the shipped corpus at " + url + " holds no .md file");
    return new Text("the notes shipped with Sequor (" + parts.size() + " files)", String.join("\n\n", parts));
  }

  /** The UTF-8 contents of every {@code .md} file under {@code root}, ordered by relative path. */
  static List<String> readAll(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.getFileName() != null && p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p))
          .sorted((a, b) -> root.relativize(a).toString().compareTo(root.relativize(b).toString()))
          .toList();
    }
    List<String> out = new ArrayList<>();
    for (Path f : files) out.add(decode(Files.readAllBytes(f), f.toString()));
    return out;
  }

  private static String decode(byte[] bytes, String name) throws IOException {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) throw new IOException(name + " is not UTF-8 text: invalid byte sequence at byte " + in.position());
    d.flush(out);
    String s = out.flip().toString();
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
