package dev.vigil.rules.template;

import dev.vigil.rules.template.Lexer.Item;
import dev.vigil.rules.template.Lexer.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses template text into trees as Go's text/template/parse does: the main tree and the trees of
 * {@code define}/{@code block}, with functions resolved and variables checked at parse time. Errors
 * carry Go's message and line: {@code template: NAME:LINE: msg}.
 */
final class Parser {
  /** The parse result: the main tree and the named templates it defines. */
  record Parsed(Node.ListNode root, Map<String, Node.ListNode> defines) {}

  private final String name;
  private final List<Item> items;
  private final Functions functions;
  private final Map<String, Node.ListNode> defines = new LinkedHashMap<>();
  private int index;
  private int maxRead;
  private int actionLine;
  private int rangeDepth;
  private List<String> vars = new ArrayList<>(List.of("$"));

  private Parser(String name, String text, Functions functions) {
    this.name = name;
    this.items = Lexer.lex(text);
    this.functions = functions;
  }

  static Parsed parse(String name, String text, Functions functions) throws TemplateException {
    Parser p = new Parser(name, text, functions);
    try {
      Node.ListNode root = p.parseTop();
      return new Parsed(root, p.defines);
    } catch (ParseError e) {
      throw new TemplateException(e.getMessage());
    } catch (StackOverflowError e) {
      throw new TemplateException("template: " + name + ": expression nested too deeply");
    }
  }

  private static final class ParseError extends RuntimeException {
    ParseError(String msg) {
      super(msg, null, false, false);
    }
  }

  // ---- tokens ----

  private Item next() {
    Item it = items.get(Math.min(index, items.size() - 1));
    index++;
    maxRead = Math.max(maxRead, Math.min(index - 1, items.size() - 1));
    return it;
  }

  private void backup() {
    index--;
  }

  private Item peek() {
    Item it = next();
    backup();
    return it;
  }

  private Item nextNonSpace() {
    Item it;
    do {
      it = next();
    } while (it.type() == Type.SPACE);
    return it;
  }

  private Item peekNonSpace() {
    Item it = nextNonSpace();
    backup();
    return it;
  }

  private ParseError error(String msg) {
    int line = items.get(maxRead).line();
    return new ParseError("template: " + name + ":" + line + ": " + msg);
  }

  private Item expect(Type t, String context) {
    Item it = nextNonSpace();
    if (it.type() != t) {
      throw unexpected(it, context);
    }
    return it;
  }

  private ParseError unexpected(Item it, String context) {
    if (it.type() == Type.ERROR) {
      String extra = "";
      if (actionLine != 0 && actionLine != it.line()) {
        extra = " in action started at " + name + ":" + actionLine;
        if (it.val().endsWith(" action")) {
          extra = extra.substring(" in action".length());
        }
      }
      return error(it.val() + extra);
    }
    return error("unexpected " + it + " in " + context);
  }

  // ---- structure ----

  private Node.ListNode parseTop() {
    List<Node> root = new ArrayList<>();
    while (peek().type() != Type.EOF) {
      if (peek().type() == Type.LEFT_DELIM) {
        int save = index;
        next();
        if (nextNonSpace().type() == Type.DEFINE) {
          parseDefinition();
          continue;
        }
        index = save;
      }
      Object n = textOrAction();
      if (n instanceof Marker m) {
        throw error("unexpected " + m);
      }
      root.add((Node) n);
    }
    return new Node.ListNode(0, root);
  }

  /** {{end}} and {{else}} while parsing; never part of a tree. */
  private record Marker(int pos, boolean isElse, boolean elseIf) {
    @Override
    public String toString() {
      return isElse ? "{{else}}" : "{{end}}";
    }
  }

  private void parseDefinition() {
    String context = "define clause";
    Item nameItem = nextNonSpace();
    if (nameItem.type() != Type.STRING && nameItem.type() != Type.RAW_STRING) {
      throw unexpected(nameItem, context);
    }
    String defName = unquote(nameItem.val());
    expect(Type.RIGHT_DELIM, context);
    List<String> saved = vars;
    vars = new ArrayList<>(List.of("$"));
    ListResult body = itemList();
    vars = saved;
    if (body.end().isElse()) {
      throw error("unexpected " + body.end() + " in " + context);
    }
    addDefine(defName, body.list());
  }

  private void addDefine(String defName, Node.ListNode list) {
    Node.ListNode old = defines.get(defName);
    // As Go's AddParseTree: an empty definition does not replace a non-empty one.
    if (old == null || !isEmptyTree(list)) {
      defines.put(defName, list);
    }
  }

  private static boolean isEmptyTree(Node.ListNode l) {
    for (Node n : l.nodes()) {
      if (!(n instanceof Node.Text t) || !t.text().isBlank()) {
        return false;
      }
    }
    return true;
  }

  private record ListResult(Node.ListNode list, Marker end) {}

  private ListResult itemList() {
    List<Node> list = new ArrayList<>();
    int pos = peekNonSpace().pos();
    while (peekNonSpace().type() != Type.EOF) {
      Object n = textOrAction();
      if (n instanceof Marker m) {
        return new ListResult(new Node.ListNode(pos, list), m);
      }
      list.add((Node) n);
    }
    throw error("unexpected EOF");
  }

  private Object textOrAction() {
    Item it = nextNonSpace();
    switch (it.type()) {
      case TEXT:
        return new Node.Text(it.pos(), it.val());
      case LEFT_DELIM:
        actionLine = it.line();
        try {
          return action();
        } finally {
          actionLine = 0;
        }
      default:
        throw unexpected(it, "input");
    }
  }

  private Object action() {
    Item it = nextNonSpace();
    switch (it.type()) {
      case BLOCK:
        return blockControl();
      case BREAK:
        return loopControl(it, true);
      case CONTINUE:
        return loopControl(it, false);
      case ELSE:
        return elseControl();
      case END:
        return new Marker(expect(Type.RIGHT_DELIM, "end").pos(), false, false);
      case IF:
        return parseControl(it, "if");
      case RANGE:
        return parseControl(it, "range");
      case TEMPLATE:
        return templateControl(it);
      case WITH:
        return parseControl(it, "with");
      default:
        break;
    }
    backup();
    Item tok = peek();
    return new Node.Action(tok.pos(), tok.line(), pipeline("command", Type.RIGHT_DELIM));
  }

  private Node loopControl(Item it, boolean isBreak) {
    String word = isBreak ? "break" : "continue";
    Item t = nextNonSpace();
    if (t.type() != Type.RIGHT_DELIM) {
      throw unexpected(t, "{{" + word + "}}");
    }
    if (rangeDepth == 0) {
      throw error("{{" + word + "}} outside {{range}}");
    }
    return new Node.Loop(it.pos(), isBreak);
  }

  private Object elseControl() {
    Item p = peekNonSpace();
    if (p.type() == Type.IF) {
      // "{{else if ...}}" is "{{else}}{{if ...}}...{{end}}{{end}}".
      return new Marker(p.pos(), true, true);
    }
    Item t = expect(Type.RIGHT_DELIM, "else");
    return new Marker(t.pos(), true, false);
  }

  private Node parseControl(Item keyword, String context) {
    int mark = vars.size();
    try {
      Node.Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
      boolean range = context.equals("range");
      if (range) {
        rangeDepth++; // {{break}} and {{continue}} belong to the body only, not to {{else}}
      }
      ListResult body;
      try {
        body = itemList();
      } finally {
        if (range) {
          rangeDepth--;
        }
      }
      Node.ListNode elseList = null;
      if (body.end().isElse()) {
        if (context.equals("if") && body.end().elseIf()) {
          // Consume "if" and parse the rest as a nested if whose {{end}} also ends this one.
          nextNonSpace();
          Node nested = parseControl(peek(), "if");
          elseList = new Node.ListNode(nested.pos(), List.of(nested));
        } else {
          ListResult e = itemList();
          if (e.end().isElse()) {
            throw error("expected end; found " + e.end());
          }
          elseList = e.list();
        }
      }
      return new Node.Branch(pipe.pos(), pipe.line(), context, pipe, body.list(), elseList);
    } finally {
      while (vars.size() > mark) {
        vars.remove(vars.size() - 1);
      }
    }
  }

  private Node blockControl() {
    String context = "block clause";
    Item tok = nextNonSpace();
    String blockName = parseTemplateName(tok, context);
    Node.Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
    List<String> saved = vars;
    vars = new ArrayList<>(List.of("$"));
    ListResult body = itemList();
    vars = saved;
    if (body.end().isElse()) {
      throw error("unexpected " + body.end() + " in " + context);
    }
    addDefine(blockName, body.list());
    return new Node.Template(tok.pos(), tok.line(), blockName, pipe);
  }

  private Node templateControl(Item keyword) {
    String context = "template clause";
    Item tok = nextNonSpace();
    String tname = parseTemplateName(tok, context);
    Node.Pipe pipe = null;
    if (nextNonSpace().type() != Type.RIGHT_DELIM) {
      backup();
      pipe = pipeline(context, Type.RIGHT_DELIM);
    }
    return new Node.Template(tok.pos(), tok.line(), tname, pipe);
  }

  private String parseTemplateName(Item tok, String context) {
    if (tok.type() == Type.STRING || tok.type() == Type.RAW_STRING) {
      return unquote(tok.val());
    }
    throw unexpected(tok, context);
  }

  // ---- pipelines ----

  private Node.Pipe pipeline(String context, Type end) {
    Item first = peekNonSpace();
    boolean assign = false;
    List<Node.Variable> decl = new ArrayList<>();
    decls:
    while (true) {
      Item v = peekNonSpace();
      if (v.type() != Type.VARIABLE) {
        break;
      }
      int save = index;
      nextNonSpace();
      Item nxt = peekNonSpace();
      if (nxt.type() == Type.ASSIGN || nxt.type() == Type.DECLARE) {
        assign = nxt.type() == Type.ASSIGN;
        nextNonSpace();
        decl.add(new Node.Variable(v.pos(), List.of(v.val())));
        vars.add(v.val());
        break;
      } else if (nxt.type() == Type.CHAR && nxt.val().equals(",")) {
        nextNonSpace();
        decl.add(new Node.Variable(v.pos(), List.of(v.val())));
        vars.add(v.val());
        if (context.equals("range") && decl.size() < 2) {
          Type t = peekNonSpace().type();
          if (t == Type.VARIABLE || t == Type.RIGHT_DELIM || t == Type.RIGHT_PAREN) {
            continue decls;
          }
          throw error("range can only initialize variables");
        }
        throw error("too many declarations in " + context);
      } else {
        index = save;
        break;
      }
    }
    List<Node.Command> cmds = new ArrayList<>();
    while (true) {
      Item tok = nextNonSpace();
      if (tok.type() == end) {
        checkPipeline(cmds, context);
        return new Node.Pipe(
            first.pos(), first.line(), assign, List.copyOf(decl), List.copyOf(cmds));
      }
      switch (tok.type()) {
        case BOOL,
            CHAR_CONSTANT,
            DOT,
            FIELD,
            IDENTIFIER,
            NUMBER,
            NIL,
            RAW_STRING,
            STRING,
            VARIABLE,
            LEFT_PAREN -> {
          backup();
          cmds.add(command());
        }
        default -> throw unexpected(tok, context);
      }
    }
  }

  private void checkPipeline(List<Node.Command> cmds, String context) {
    if (cmds.isEmpty()) {
      throw error("missing value for " + context);
    }
    for (int i = 1; i < cmds.size(); i++) {
      Node a = cmds.get(i).args().get(0);
      if (a instanceof Node.Bool
          || a instanceof Node.Dot
          || a instanceof Node.Nil
          || a instanceof Node.Number
          || a instanceof Node.Str) {
        throw error("non executable command in pipeline stage " + (i + 1));
      }
    }
  }

  private Node.Command command() {
    int pos = peekNonSpace().pos();
    List<Node> args = new ArrayList<>();
    while (true) {
      peekNonSpace();
      Node operand = operand();
      if (operand != null) {
        args.add(operand);
      }
      Item tok = next();
      switch (tok.type()) {
        case SPACE:
          continue;
        case RIGHT_DELIM, RIGHT_PAREN:
          backup();
          break;
        case PIPE:
          break;
        default:
          throw unexpected(tok, "operand");
      }
      break;
    }
    if (args.isEmpty()) {
      throw error("empty command");
    }
    return new Node.Command(pos, List.copyOf(args));
  }

  private Node operand() {
    Node node = term();
    if (node == null) {
      return null;
    }
    if (peek().type() == Type.FIELD) {
      int chainPos = peek().pos();
      List<String> fields = new ArrayList<>();
      while (peek().type() == Type.FIELD) {
        fields.add(next().val().substring(1));
      }
      switch (node) {
        case Node.Field f -> {
          List<String> all = new ArrayList<>(f.idents());
          all.addAll(fields);
          return new Node.Field(chainPos, List.copyOf(all));
        }
        case Node.Variable v -> {
          List<String> all = new ArrayList<>(v.idents());
          all.addAll(fields);
          return new Node.Variable(chainPos, List.copyOf(all));
        }
        case Node.Bool b -> throw error("unexpected . after term " + GoFmt.quote(b.toString()));
        case Node.Str s -> throw error("unexpected . after term " + GoFmt.quote(s.toString()));
        case Node.Number n -> throw error("unexpected . after term " + GoFmt.quote(n.toString()));
        case Node.Nil n -> throw error("unexpected . after term " + GoFmt.quote(n.toString()));
        case Node.Dot d -> throw error("unexpected . after term " + GoFmt.quote(d.toString()));
        default -> {
          return new Node.Chain(chainPos, node, List.copyOf(fields));
        }
      }
    }
    return node;
  }

  private Node term() {
    Item tok = nextNonSpace();
    switch (tok.type()) {
      case IDENTIFIER -> {
        Functions.Fn fn = functions.lookup(tok.val());
        if (fn == null) {
          throw error("function " + GoFmt.quote(tok.val()) + " not defined");
        }
        return new Node.Identifier(tok.pos(), tok.val(), fn);
      }
      case DOT -> {
        return new Node.Dot(tok.pos());
      }
      case NIL -> {
        return new Node.Nil(tok.pos());
      }
      case VARIABLE -> {
        return useVar(tok.pos(), tok.val());
      }
      case FIELD -> {
        return new Node.Field(tok.pos(), List.of(tok.val().substring(1)));
      }
      case BOOL -> {
        return new Node.Bool(tok.pos(), tok.val().equals("true"));
      }
      case CHAR_CONSTANT, NUMBER -> {
        return number(tok);
      }
      case LEFT_PAREN -> {
        return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
      }
      case STRING, RAW_STRING -> {
        return new Node.Str(tok.pos(), tok.val(), unquote(tok.val()));
      }
      default -> {
        backup();
        return null;
      }
    }
  }

  private Node useVar(int pos, String name) {
    for (String v : vars) {
      if (v.equals(name)) {
        return new Node.Variable(pos, List.of(name));
      }
    }
    throw error("undefined variable " + GoFmt.quote(name));
  }

  // ---- literals ----

  private Node number(Item tok) {
    String text = tok.val();
    if (tok.type() == Type.CHAR_CONSTANT) {
      String body = unquoteChar(text);
      int r = body.codePointAt(0);
      return new Node.Number(tok.pos(), text, true, r, true, r);
    }
    if (text.endsWith("i")) {
      throw error("complex numbers are not supported: " + text);
    }
    String clean = text.replace("_", "");
    boolean isInt = false;
    long iv = 0;
    try {
      iv = parseGoInt(clean);
      isInt = true;
    } catch (NumberFormatException e) {
      // not an integer
    }
    boolean isFloat = false;
    double fv = 0;
    if (isInt) {
      isFloat = true;
      fv = iv;
    } else {
      try {
        fv = parseGoFloat(clean);
      } catch (NumberFormatException e) {
        throw error("illegal number syntax: " + GoFmt.quote(text));
      }
      // Parsed as a float but written as an integer: too large for an int (Go's rule).
      if (!containsAny(text, ".eEpP") || isHexInt(text)) {
        throw error("integer overflow: " + GoFmt.quote(text));
      }
      if (Double.isInfinite(fv)) {
        throw error("illegal number syntax: " + GoFmt.quote(text));
      }
      isFloat = true;
      if (fv == Math.rint(fv) && Math.abs(fv) < 0x1p63) {
        isInt = true;
        iv = (long) fv;
      }
    }
    return new Node.Number(tok.pos(), text, isInt, iv, isFloat, fv);
  }

  static boolean containsAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Go's isHexInt: 0x... without a binary exponent. */
  static boolean isHexInt(String s) {
    return s.length() > 2
        && s.charAt(0) == '0'
        && (s.charAt(1) == 'x' || s.charAt(1) == 'X')
        && !containsAny(s, "pP");
  }

  private static long parseGoInt(String s) {
    boolean neg = false;
    String t = s;
    if (t.startsWith("+") || t.startsWith("-")) {
      neg = t.startsWith("-");
      t = t.substring(1);
    }
    int radix = 10;
    if (t.length() > 1 && t.charAt(0) == '0') {
      char c = Character.toLowerCase(t.charAt(1));
      if (c == 'x') {
        radix = 16;
        t = t.substring(2);
      } else if (c == 'o') {
        radix = 8;
        t = t.substring(2);
      } else if (c == 'b') {
        radix = 2;
        t = t.substring(2);
      } else {
        radix = 8;
        t = t.substring(1);
      }
    }
    if (t.isEmpty() || t.indexOf('.') >= 0) {
      throw new NumberFormatException(s);
    }
    long v = Long.parseLong((neg ? "-" : "") + t, radix);
    return v;
  }

  private static double parseGoFloat(String s) {
    String t = s.toLowerCase(java.util.Locale.ROOT);
    if (t.contains("0x")
        || t.startsWith("inf")
        || t.contains("nan")
        || t.endsWith("d")
        || t.endsWith("f")) {
      if (t.contains("0x") && t.contains("p")) {
        return Double.parseDouble(t);
      }
      throw new NumberFormatException(s);
    }
    return Double.parseDouble(t);
  }

  private String unquote(String quoted) {
    if (quoted.startsWith("`")) {
      return quoted.substring(1, quoted.length() - 1).replace("\r", "");
    }
    try {
      return GoStrings.unquote(quoted.substring(1, quoted.length() - 1), '"');
    } catch (IllegalArgumentException e) {
      throw error("invalid syntax");
    }
  }

  private String unquoteChar(String quoted) {
    try {
      String s = GoStrings.unquote(quoted.substring(1, quoted.length() - 1), '\'');
      if (s.codePointCount(0, s.length()) != 1) {
        throw new IllegalArgumentException();
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw error("malformed character constant: " + quoted);
    }
  }
}
