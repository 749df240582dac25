using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Training;

var root = new RootCommand("Train flow-matching (stochastic-interpolant) velocity fields and export them to ONNX") { TrainCommand.Create() };
return CommandRunner.Run(root, args, "trainer");
