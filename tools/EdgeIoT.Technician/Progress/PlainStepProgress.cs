namespace EdgeIoT.Technician.Progress;

/// <summary>One line per step and per state change, for redirected output and CI logs.</summary>
public sealed class PlainStepProgress(TextWriter output) : IStepProgress
{
    public async Task<T> RunAsync<T>(string description, Func<Action<string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);

        await output.WriteLineAsync($"{description}...");
        string? last = null;
        T result = await work(state =>
        {
            // Polling steps report the same state every second; print only changes.
            if (state != last)
            {
                last = state;
                output.WriteLine($"  {state}");
            }
        });
        return result;
    }
}
