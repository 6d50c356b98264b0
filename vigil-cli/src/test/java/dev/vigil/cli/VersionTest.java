package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest extends CapturedOutput {
  private static void collect(CommandLine cl, List<String> prefix, List<List<String>> into) {
    into.add(prefix);
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().name().equals("help")) {
        continue; // picocli's help command prints help for its argument
      }
      List<String> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      collect(e.getValue(), p, into);
    }
  }

  @Test
  void everyCommand_printsTheSameVersionLine() {
    List<List<String>> commands = new ArrayList<>();
    collect(Main.commandLine(), List.of(), commands);
    assertThat(commands)
        .hasSizeGreaterThan(10)
        .contains(List.of("serve"), List.of("tsdb", "stats"));
    assertThat(Main.run("--version")).isZero();
    String line = out.toString();
    assertThat(line).startsWith("vigil ").hasLineCount(1);
    for (List<String> c : commands) {
      for (String flag : List.of("--version", "-V")) {
        out.reset();
        List<String> args = new ArrayList<>(c);
        args.add(flag);
        assertThat(Main.run(args.toArray(String[]::new))).as("%s", args).isZero();
        assertThat(out.toString()).as("%s", args).isEqualTo(line);
      }
    }
  }
}
