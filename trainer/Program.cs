using FlowMatching.Cli;
using FlowMatching.Training;

return CommandRunner.Run(TrainerCommands.CreateRoot(), args, "trainer", TrainerVocabulary.Vocabulary);
