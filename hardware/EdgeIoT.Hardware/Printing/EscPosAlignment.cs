namespace EdgeIoT.Hardware;

/// <summary>Justification values of ESC a n ("Select justification").</summary>
public enum EscPosAlignment : byte
{
    Left = 0,
    Center = 1,
    Right = 2,
}
