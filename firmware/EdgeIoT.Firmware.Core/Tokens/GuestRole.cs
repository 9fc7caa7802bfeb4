namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>Role claim of a token, which decides the policy rules that apply.</summary>
    public enum GuestRole : byte
    {
        Guest = 1,
        WalkIn = 2,
        Creator = 3,
        CreatorAssistant = 4,
        Staff = 5,
    }
}
