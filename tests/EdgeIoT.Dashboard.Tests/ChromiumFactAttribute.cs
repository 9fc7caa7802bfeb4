namespace EdgeIoT.Dashboard.Tests;

/// <summary>A fact that skips itself, with the reason, when headless Chromium is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.SkipReason is string reason)
        {
            Skip = reason;
        }
    }
}
