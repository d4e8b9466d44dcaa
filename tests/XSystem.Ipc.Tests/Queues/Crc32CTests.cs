using System.Text;

namespace XSystem.Ipc.Tests.Queues;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckInput_ReturnsCheckValue()
    {
        Crc32C.Compute("123456789"u8).ShouldBe(0xE3069283u);
        Crc32C.ComputeSoftware("123456789"u8).ShouldBe(0xE3069283u);
    }

    [Fact]
    public void Compute_Empty_ReturnsZero() => Crc32C.Compute([]).ShouldBe(0u);

    [Fact]
    public void Compute_RandomLengths_HardwareAndTableAgree()
    {
        var random = new Random(11);
        for (int length = 0; length < 300; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Crc32C.Compute(data).ShouldBe(Crc32C.ComputeSoftware(data), $"length {length}");
        }
    }

    [Fact]
    public void Append_InTwoParts_EqualsWhole()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        uint whole = Crc32C.Compute(data);
        Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 13)), data.AsSpan(13)).ShouldBe(whole);
        whole.ShouldBe(0x22620404u); // published CRC-32C of this sentence
    }
}
