using Spectre.Console;

namespace EdgeIoT.Technician.Progress;

/// <summary>A spinner with the step and its current state, for an interactive terminal.</summary>
public sealed class SpinnerStepProgress(IAnsiConsole console) : IStepProgress
{
    public async Task<T> RunAsync<T>(string description, Func<Action<string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);

        T result = await console.Status().StartAsync(Markup.Escape(description), context =>
            work(state => context.Status(Markup.Escape($"{description}: {state}"))));
        console.MarkupLine($"[green]done[/] {Markup.Escape(description)}");
        return result;
    }

    /// <summary>Returns the spinner on an interactive terminal, plain lines otherwise.</summary>
    public static IStepProgress ForConsole() =>
        AnsiConsole.Profile.Capabilities.Interactive ? new SpinnerStepProgress(AnsiConsole.Console) : new PlainStepProgress(Console.Out);
}
