using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Runtime;

var root = new RootCommand("Sample flow-matching velocity fields exported to ONNX") { SampleCommand.Create() };
return CommandRunner.Run(root, args, "runtime");
