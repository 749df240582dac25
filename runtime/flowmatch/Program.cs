using FlowMatching.Cli;
using FlowMatching.Runtime.Cli;

return CommandRunner.Run(RuntimeCommands.CreateRoot(), args, RuntimeCommands.Name, CliChoices.Vocabulary);
