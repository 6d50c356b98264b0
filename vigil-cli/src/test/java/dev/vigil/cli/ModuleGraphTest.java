package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module graph in README.md is the one the poms declare: every module of the reactor, each with
 * exactly the Vigil modules its pom depends on outside test scope.
 */
class ModuleGraphTest {
  private static final Pattern EDGE = Pattern.compile("^(vigil-[a-z]+) +→ +(.*)$");

  static Path root() {
    return Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  void readmeGraph_matchesThePoms() throws Exception {
    Path root = root();
    Map<String, TreeSet<String>> poms = new LinkedHashMap<>();
    for (String module : children(parse(root.resolve("pom.xml")), "modules", "module")) {
      poms.put(module, vigilDependencies(parse(root.resolve(module).resolve("pom.xml"))));
    }
    assertThat(poms).containsKeys("vigil-model", "vigil-server", "vigil-cli");

    assertThat(readmeGraph(Files.readString(root.resolve("README.md")))).isEqualTo(poms);
  }

  @Test
  void readmeGraph_parsesEdgesAndNone() {
    String readme =
        """
        ## Module graph

        ```text
        vigil-model    → (none)
        vigil-tsdb     → vigil-model
        vigil-rules    → vigil-model, vigil-promql
        ```
        """;
    assertThat(readmeGraph(readme))
        .isEqualTo(
            Map.of(
                "vigil-model", new TreeSet<>(),
                "vigil-tsdb", new TreeSet<>(List.of("vigil-model")),
                "vigil-rules", new TreeSet<>(List.of("vigil-model", "vigil-promql"))));
  }

  /** The edges of the first fenced block after the "Module graph" heading. */
  static Map<String, TreeSet<String>> readmeGraph(String readme) {
    int heading = readme.indexOf("## Module graph");
    assertThat(heading).as("README.md has a \"Module graph\" section").isNotNegative();
    int open = readme.indexOf("```", heading);
    int from = readme.indexOf('\n', open) + 1;
    int close = readme.indexOf("```", from);
    Map<String, TreeSet<String>> graph = new LinkedHashMap<>();
    for (String line : readme.substring(from, close).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m = EDGE.matcher(line.strip());
      assertThat(m.matches()).as("graph line \"%s\" reads MODULE → DEPS", line).isTrue();
      TreeSet<String> deps = new TreeSet<>();
      if (!m.group(2).strip().equals("(none)")) {
        for (String d : m.group(2).split(",")) {
          deps.add(d.strip());
        }
      }
      assertThat(graph.put(m.group(1), deps)).as("%s drawn twice", m.group(1)).isNull();
    }
    return graph;
  }

  private static TreeSet<String> vigilDependencies(Document pom) {
    TreeSet<String> deps = new TreeSet<>();
    Element dependencies = child(pom.getDocumentElement(), "dependencies");
    if (dependencies == null) {
      return deps;
    }
    for (Element d : elements(dependencies, "dependency")) {
      String scope = text(d, "scope");
      if ("dev.vigil".equals(text(d, "groupId")) && !"test".equals(scope)) {
        deps.add(text(d, "artifactId"));
      }
    }
    return deps;
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static List<String> children(Document doc, String list, String item) {
    List<String> out = new ArrayList<>();
    for (Element e : elements(child(doc.getDocumentElement(), list), item)) {
      out.add(e.getTextContent().strip());
    }
    return out;
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> elements(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().strip();
  }
}
