namespace XSystem.Security.Tests.Hashing;

public sealed class SecureRandomTests
{
    [Fact]
    public void Bytes_ReturnsRequestedLengthAndDiffers()
    {
        SecureRandom.Bytes(0).ShouldBeEmpty();
        SecureRandom.Bytes(32).ShouldNotBe(SecureRandom.Bytes(32));
        Should.Throw<ArgumentOutOfRangeException>(() => SecureRandom.Bytes(-1));
    }

    [Fact]
    public void Int_StaysInRangeAndCoversIt()
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < 2000; i++)
        {
            var value = SecureRandom.Int(-3, 4);
            value.ShouldBeInRange(-3, 3);
            seen.Add(value);
        }

        seen.Count.ShouldBe(7);
        Should.Throw<ArgumentException>(() => SecureRandom.Int(5, 5));
    }

    [Fact]
    public void Token_IsUrlSafeWithoutPadding()
    {
        var token = SecureRandom.Token();

        token.Length.ShouldBe(43);
        token.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
        SecureRandom.TokenHex(16).Length.ShouldBe(32);
    }

    [Fact]
    public void ChoiceAndShuffle_KeepElements()
    {
        var items = Enumerable.Range(0, 50).ToList();

        items.ShouldContain(SecureRandom.Choice(items));
        var shuffled = items.ToList();
        SecureRandom.Shuffle(shuffled);
        shuffled.Order().ShouldBe(items);
        var array = items.ToArray();
        SecureRandom.Shuffle(array.AsSpan());
        array.Order().ShouldBe(items);
        Should.Throw<ArgumentException>(() => SecureRandom.Choice(Array.Empty<int>()));
    }
}
