namespace EdgeIoT.Technician.Progress;

/// <summary>Shows the technician which long step is running and what it last reported.</summary>
public interface IStepProgress
{
    /// <summary>Runs one step; the work reports its current state through the callback.</summary>
    Task<T> RunAsync<T>(string description, Func<Action<string>, Task<T>> work);
}
