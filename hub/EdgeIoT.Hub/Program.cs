using EdgeIoT.Hub.Cli;

return await HubCommandLine.Build().Parse(args).InvokeAsync();
