using EdgeIoT.Hub.Cli;

return await HubProgram.RunAsync(args);
