namespace EdgeIoT.Hardware.Simulated;

/// <summary>The MFRC522 registers, FIFO and commands the simulator implements.</summary>
public sealed partial class Mfrc522Simulator
{
    private const int CommandReg = 0x01;
    private const int ComIrqReg = 0x04;
    private const int DivIrqReg = 0x05;
    private const int ErrorReg = 0x06;
    private const int FifoDataReg = 0x09;
    private const int FifoLevelReg = 0x0A;
    private const int ControlReg = 0x0C;
    private const int BitFramingReg = 0x0D;
    private const int ModeReg = 0x11;
    private const int TxControlReg = 0x14;
    private const int CrcResultHighReg = 0x21;
    private const int CrcResultLowReg = 0x22;
    private const int VersionReg = 0x37;

    private const byte CommandIdle = 0x00;
    private const byte CommandCalcCrc = 0x03;
    private const byte CommandNoChange = 0x07;
    private const byte CommandTransceive = 0x0C;
    private const byte CommandMfAuthent = 0x0E;
    private const byte CommandSoftReset = 0x0F;

    private const byte IrqTimer = 0x01;
    private const byte IrqError = 0x02;
    private const byte IrqIdle = 0x10;
    private const byte IrqRx = 0x20;
    private const byte IrqTx = 0x40;
    private const byte DivIrqCrc = 0x04;
    private const byte ErrorProtocol = 0x01;
    private const byte ErrorBufferOverflow = 0x10;
    private const byte StartSend = 0x80;
    private const byte FlushBuffer = 0x80;
    private const byte SetBit = 0x80;

    private byte ReadRegister(int register)
    {
        switch (register)
        {
            case FifoDataReg:
                return _fifo.Count == 0 ? (byte)0 : _fifo.Dequeue();
            case FifoLevelReg:
                return (byte)_fifo.Count;
            default:
                return _registers[register];
        }
    }

    private void WriteRegister(int register, byte value)
    {
        switch (register)
        {
            case CommandReg:
                ExecuteCommand(value);
                break;
            case ComIrqReg:
            case DivIrqReg:
                // Set1 and Set2 (bit 7 of ComIrqReg and DivIrqReg): 1 sets the marked bits, 0 clears them.
                byte marked = (byte)(value & 0x7F);
                _registers[register] = (value & SetBit) != 0
                    ? (byte)(_registers[register] | marked)
                    : (byte)(_registers[register] & ~marked);
                break;
            case FifoDataReg:
                PushFifo(value);
                break;
            case FifoLevelReg:
                if ((value & FlushBuffer) != 0)
                {
                    _fifo.Clear();
                    _registers[ErrorReg] &= unchecked((byte)~ErrorBufferOverflow);
                }

                break;
            case BitFramingReg:
                _registers[BitFramingReg] = value;
                if ((value & StartSend) != 0 && (_registers[CommandReg] & 0x0F) == CommandTransceive)
                {
                    Transceive((byte)(value & 0x07));
                }

                break;
            case VersionReg:
                break;
            default:
                _registers[register] = value;
                break;
        }
    }

    private void ExecuteCommand(byte value)
    {
        byte command = (byte)(value & 0x0F);
        if (command == CommandNoChange)
        {
            _registers[CommandReg] = (byte)((value & 0x30) | (_registers[CommandReg] & 0x0F));
            return;
        }

        _registers[CommandReg] = value;
        switch (command)
        {
            case CommandCalcCrc:
                ushort crc = CrcA(DrainFifo(), Preset());
                _registers[CrcResultLowReg] = (byte)crc;
                _registers[CrcResultHighReg] = (byte)(crc >> 8);
                _registers[DivIrqReg] |= DivIrqCrc;
                break;
            case CommandSoftReset:
                Reset();
                break;
            case CommandMfAuthent:
                // MIFARE Classic authentication is not simulated; an NTAG has no Crypto1.
                _registers[ErrorReg] |= ErrorProtocol;
                _registers[ComIrqReg] |= IrqError | IrqIdle;
                break;
            case CommandIdle:
            case CommandTransceive:
                break;
            default:
                _registers[ComIrqReg] |= IrqIdle;
                break;
        }
    }

    private void Transceive(byte txLastBits)
    {
        byte[] frame = DrainFifo();
        _registers[ErrorReg] = 0;
        _registers[ControlReg] = (byte)(_registers[ControlReg] & ~0x07);
        byte[]? response = TagResponse(frame, txLastBits);
        if (response is null)
        {
            // No tag replied, so the receive timer (TAuto) runs out.
            _registers[ComIrqReg] |= IrqTx | IrqTimer;
            return;
        }

        foreach (byte value in response)
        {
            PushFifo(value);
        }

        _registers[ComIrqReg] |= IrqTx | IrqRx;
    }

    private void PushFifo(byte value)
    {
        if (_fifo.Count >= FifoCapacity)
        {
            _registers[ErrorReg] |= ErrorBufferOverflow;
            return;
        }

        _fifo.Enqueue(value);
    }

    private byte[] DrainFifo()
    {
        byte[] bytes = [.. _fifo];
        _fifo.Clear();
        return bytes;
    }

    // ModeReg bits 1 and 0 select the CRC preset: 0000h, 6363h, A671h or FFFFh.
    private ushort Preset() => (_registers[ModeReg] & 0x03) switch
    {
        0 => 0x0000,
        1 => 0x6363,
        2 => 0xA671,
        _ => 0xFFFF,
    };

    // Register values after power-on that the driver reads back before it sets them.
    private void Reset()
    {
        Array.Clear(_registers);
        _fifo.Clear();
        _registers[CommandReg] = 0x20;
        _registers[ComIrqReg] = 0x14;
        _registers[ControlReg] = 0x10;
        _registers[ModeReg] = 0x3F;
        _registers[TxControlReg] = 0x80;
        _registers[CrcResultHighReg] = 0xFF;
        _registers[CrcResultLowReg] = 0xFF;
        _registers[VersionReg] = ChipVersion;
    }
}
