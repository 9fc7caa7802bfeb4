using EdgeIoT.TokenTool;

return await TokenToolCommands.Build(Console.Out, Console.Error).Parse(args).InvokeAsync();
