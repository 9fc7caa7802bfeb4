namespace EdgeIoT.Hub.Walkins;

/// <summary>Delivers a one-time code to a phone.</summary>
public interface ISmsSender
{
    Task SendCodeAsync(string phone, string code, CancellationToken cancellationToken);
}
