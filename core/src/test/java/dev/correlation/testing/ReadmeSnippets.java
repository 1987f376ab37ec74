package dev.correlation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the README's Java snippets compiling: each snippet of a README section must appear, line
 * by line and in order (blanks ignored, runs of spaces collapsed), in a source file of the module's
 * tests, which the build compiles against the current API. Change an example in one place and
 * this fails until the other matches.
 */
public final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /** The {@code java} code blocks of the README between the two marker lines. */
  public static List<List<String>> javaBlocks(String startMarker, String endMarker) {
    List<String> lines = read(readme());
    int start = indexOf(lines, startMarker, 0);
    int end = indexOf(lines, endMarker, start + 1);
    List<List<String>> blocks = new ArrayList<>();
    List<String> block = null;
    for (String line : lines.subList(start + 1, end)) {
      if (block == null && line.trim().equals("```java")) {
        block = new ArrayList<>();
      } else if (block != null && line.trim().equals("```")) {
        blocks.add(block);
        block = null;
      } else if (block != null && !line.isBlank()) {
        block.add(normalize(line));
      }
    }
    assertThat(blocks).as("java snippets between %s and %s", startMarker, endMarker).isNotEmpty();
    return blocks;
  }

  /**
   * Fails naming the first snippet line of the section that {@code examples} (a path relative to
   * the module) does not contain in the snippet's order.
   */
  public static void assertAllIn(String startMarker, String endMarker, String examples) {
    assertAllIn(startMarker, endMarker, "", examples);
  }

  /**
   * As {@link #assertAllIn(String, String, String)}, for the snippets of the section that contain
   * {@code mark} (a section showing several modules, each compiling its own); fails if none does.
   */
  public static void assertAllIn(String startMarker, String endMarker, String mark,
      String examples) {
    List<String> source = new ArrayList<>();
    for (String line : read(Path.of(examples))) {
      source.add(normalize(line));
    }
    int checked = 0;
    for (List<String> block : javaBlocks(startMarker, endMarker)) {
      if (block.stream().noneMatch(line -> line.contains(mark))) {
        continue;
      }
      checked++;
      int at = 0;
      for (String line : block) {
        int found = source.subList(at, source.size()).indexOf(line);
        assertThat(found).as("README line %s (of snippet starting %s) in %s, after line %d",
            line, block.get(0), examples, at).isNotNegative();
        at += found + 1;
      }
    }
    assertThat(checked).as("snippets containing '%s' between %s and %s", mark, startMarker,
        endMarker).isPositive();
  }

  private static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("core"))) {
        return dir.resolve("README.md");
      }
    }
    throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
  }

  private static int indexOf(List<String> lines, String marker, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new IllegalStateException("README has no line " + marker + " after line " + from);
  }

  private static String normalize(String line) {
    return line.trim().replaceAll("\\s+", " ");
  }

  private static List<String> read(Path path) {
    try {
      return Files.readAllLines(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
