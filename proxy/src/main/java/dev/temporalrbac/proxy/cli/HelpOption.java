package dev.temporalrbac.proxy.cli;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} on every command: its usage on stdout, exit 0. */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
  private boolean help;
}
