using EdgeIoT.TokenTool;

return await TokenToolCommands.RunAsync(args, Console.Out, Console.Error);
