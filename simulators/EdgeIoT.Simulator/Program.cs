using EdgeIoT.Simulator.Commands;

return await SimulatorCommands.Build().Parse(args).InvokeAsync();
