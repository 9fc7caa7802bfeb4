namespace EdgeIoT.Hardware;

/// <summary>The light or display that shows a guest the decision.</summary>
public interface IIndicator
{
    void Show(bool admitted, string reason);
}
