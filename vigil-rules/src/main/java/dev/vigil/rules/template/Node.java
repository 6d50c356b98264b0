package dev.vigil.rules.template;

import java.util.List;

/**
 * The parse tree of a template, as Go's text/template/parse. Every node knows its byte offset in
 * the template text ({@link #pos()}) for error positions, and prints itself as Go's {@code
 * String()} does, which error messages quote.
 */
sealed interface Node {
  int pos();

  record Text(int pos, String text) implements Node {
    @Override
    public String toString() {
      return text;
    }
  }

  record Action(int pos, int line, Pipe pipe) implements Node {
    @Override
    public String toString() {
      return "{{" + pipe + "}}";
    }
  }

  /** A pipeline with optional declarations ({@code $x :=} or, if assign, {@code $x =}). */
  record Pipe(int pos, int line, boolean assign, List<Variable> decl, List<Command> cmds)
      implements Node {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (!decl.isEmpty()) {
        for (int i = 0; i < decl.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          sb.append(decl.get(i));
        }
        sb.append(assign ? " = " : " := ");
      }
      for (int i = 0; i < cmds.size(); i++) {
        if (i > 0) {
          sb.append(" | ");
        }
        sb.append(cmds.get(i));
      }
      return sb.toString();
    }
  }

  record Command(int pos, List<Node> args) implements Node {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < args.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        Node a = args.get(i);
        if (a instanceof Pipe) {
          sb.append('(').append(a).append(')');
        } else {
          sb.append(a);
        }
      }
      return sb.toString();
    }
  }

  /** A function name, resolved at parse time. */
  record Identifier(int pos, String ident, Functions.Fn fn) implements Node {
    @Override
    public String toString() {
      return ident;
    }
  }

  /** {@code $x} or {@code $x.a.b}. */
  record Variable(int pos, List<String> idents) implements Node {
    @Override
    public String toString() {
      return String.join(".", idents);
    }
  }

  /** {@code .a.b}. */
  record Field(int pos, List<String> idents) implements Node {
    @Override
    public String toString() {
      return "." + String.join(".", idents);
    }
  }

  /** {@code (pipeline).a.b}. */
  record Chain(int pos, Node node, List<String> fields) implements Node {
    @Override
    public String toString() {
      String s = node instanceof Pipe ? "(" + node + ")" : node.toString();
      return s + "." + String.join(".", fields);
    }
  }

  record Dot(int pos) implements Node {
    @Override
    public String toString() {
      return ".";
    }
  }

  record Nil(int pos) implements Node {
    @Override
    public String toString() {
      return "nil";
    }
  }

  record Bool(int pos, boolean value) implements Node {
    @Override
    public String toString() {
      return value ? "true" : "false";
    }
  }

  /**
   * A number literal: {@code isInt} when it is an exact integer, {@code isFloat} when it has a
   * float value; {@code constant} is what an untyped use evaluates to (Go's idealConstant).
   */
  record Number(
      int pos, String text, boolean isInt, long intValue, boolean isFloat, double floatValue)
      implements Node {
    Object constant() {
      // Go's idealConstant: float syntax gives float64, otherwise int.
      if (isFloat
          && !Parser.isHexInt(text)
          && !text.startsWith("'")
          && Parser.containsAny(text, ".eEpP")) {
        return floatValue;
      }
      if (isInt) {
        return intValue;
      }
      return floatValue;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  record Str(int pos, String quoted, String text) implements Node {
    @Override
    public String toString() {
      return quoted;
    }
  }

  record ListNode(int pos, List<Node> nodes) implements Node {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (Node n : nodes) {
        sb.append(n);
      }
      return sb.toString();
    }
  }

  /** {@code if}, {@code range} and {@code with}. */
  record Branch(int pos, int line, String keyword, Pipe pipe, ListNode list, ListNode elseList)
      implements Node {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("{{").append(keyword).append(' ').append(pipe);
      sb.append("}}").append(list);
      if (elseList != null) {
        sb.append("{{else}}").append(elseList);
      }
      return sb.append("{{end}}").toString();
    }
  }

  record Template(int pos, int line, String name, Pipe pipe) implements Node {
    @Override
    public String toString() {
      return pipe == null
          ? "{{template " + GoFmt.quote(name) + "}}"
          : "{{template " + GoFmt.quote(name) + " " + pipe + "}}";
    }
  }

  /** {@code {{break}}} and {@code {{continue}}} inside {@code range}. */
  record Loop(int pos, boolean isBreak) implements Node {
    @Override
    public String toString() {
      return isBreak ? "{{break}}" : "{{continue}}";
    }
  }
}
