using FlowMatching.Cli;
using FlowMatching.Runtime;

return CommandRunner.Run(RuntimeCommands.CreateRoot(), args, "runtime", CliChoices.Vocabulary);
