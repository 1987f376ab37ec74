package dev.correlation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the README's Java snippets compiling: each snippet of the checked README sections must
 * appear, line by line and in order (blank lines ignored, runs of spaces collapsed), in one of the
 * {@code ReadmeExamples} test sources, which the build compiles against the current API. Change an
 * example in one place and the check fails until the other matches.
 */
public final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /**
   * Fails naming each README snippet, between each pair of marker lines, that none of
   * {@code examples} contains.
   *
   * @param markers start and end marker lines, in pairs
   */
  public static void assertEachIn(List<Path> examples, String... markers) {
    List<String> lines = read(readme());
    List<List<String>> sources = new ArrayList<>();
    for (Path path : examples) {
      List<String> source = new ArrayList<>();
      for (String line : read(path)) {
        source.add(normalize(line));
      }
      sources.add(source);
    }
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (int m = 0; m + 1 < markers.length; m += 2) {
      for (List<String> block : javaBlocks(lines, markers[m], markers[m + 1])) {
        checked++;
        String firstMissing = null;
        for (List<String> source : sources) {
          String gap = firstMissing(block, source);
          if (gap == null) {
            firstMissing = null;
            break;
          }
          firstMissing = firstMissing == null ? gap : firstMissing;
        }
        if (firstMissing != null) {
          missing.add("snippet starting '" + block.get(0) + "' (first line not found in order: '"
              + firstMissing + "')");
        }
      }
    }
    assertThat(checked).as("java snippets in the README sections").isPositive();
    assertThat(missing).as("README snippets not compiled in any of %s", examples).isEmpty();
  }

  /** The first line of {@code block} that {@code source} does not have after the previous one. */
  private static String firstMissing(List<String> block, List<String> source) {
    int at = 0;
    for (String line : block) {
      int found = source.subList(at, source.size()).indexOf(line);
      if (found < 0) {
        return line;
      }
      at += found + 1;
    }
    return null;
  }

  private static List<List<String>> javaBlocks(List<String> lines, String startMarker,
      String endMarker) {
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
    return blocks;
  }

  /** The README of the project: the first one above the working directory next to core/. */
  public static Path readme() {
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
