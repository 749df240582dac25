using FlowMatching.Cli;
using FlowMatching.Training.Cli;

return CommandRunner.Run(TrainerCommands.CreateRoot(), args, TrainerCommands.Name, TrainerVocabulary.Vocabulary);
