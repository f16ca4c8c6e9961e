package dev.sequor.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  static void write(Path p, String s) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, s);
  }

  @Test
  void listsTheCorpusFromADirectory(@TempDir Path dir) throws IOException {
    Path root = dir.resolve(Corpus.RESOURCE_DIR);
    write(root.resolve("notes/b.md"), "bee");
    write(root.resolve("math/z.md"), "zed");
    write(root.resolve("notes/a.md"), "ay");
    write(root.resolve("notes/skip.txt"), "not markdown");
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      Corpus.Text t = Corpus.shipped(cl);
      assertEquals("zed\n\nay\n\nbee", t.text());
      assertTrue(t.name().contains("3 files"));
    }
  }

  @Test
  void listsTheCorpusFromAJar(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("c.jar");
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os)) {
      for (String name : new String[] {"dev/", "dev/sequor/", "dev/sequor/corpus/", "dev/sequor/corpus/notes/"}) j.putNextEntry(new JarEntry(name));
      for (String[] e : new String[][] {{"dev/sequor/corpus/notes/y.md", "why ü"}, {"dev/sequor/corpus/notes/x.md", "ex"}}) {
        j.putNextEntry(new JarEntry(e[0]));
        j.write(e[1].getBytes(StandardCharsets.UTF_8));
      }
    }
    try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertEquals("ex\n\nwhy ü", Corpus.shipped(cl).text());
    }
  }

  @Test
  void aMissingOrEmptyCorpusIsAClearError(@TempDir Path dir) throws IOException {
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertTrue(assertThrows(IOException.class, () -> Corpus.shipped(cl)).getMessage().contains("ships no corpus"));
      Files.createDirectories(dir.resolve(Corpus.RESOURCE_DIR));
      assertTrue(assertThrows(IOException.class, () -> Corpus.shipped(cl)).getMessage().contains("no .md file"));
    }
  }

  @Test
  void readsStrictUtf8(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("t.txt");
    Files.write(f, new byte[] {'a', 'b', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, 'c'});
    assertEquals("t.txt is not UTF-8 text: invalid byte sequence at byte 4",
        assertThrows(IOException.class, () -> Corpus.read(f)).getMessage().replace(dir + "/", ""));
    Files.write(f, "\uFEFFhé".getBytes(StandardCharsets.UTF_8));
    assertEquals("hé", Corpus.read(f).text());
  }
}
