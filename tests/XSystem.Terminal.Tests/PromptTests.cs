using Spectre.Console.Testing;

namespace XSystem.Terminal.Tests;

public class PromptTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static Prompt Interactive(TestConsole console) =>
        new(console.Interactive(), new PromptOptions { Environment = NoEnvironment });

    private static Prompt Piped(TestConsole console, string input) =>
        new(console, new PromptOptions { Environment = NoEnvironment, Input = new StringReader(input) });

    private static Prompt NonInteractive(TestConsole console, bool? assumeDefaults = null) =>
        new(console, new PromptOptions { Environment = NoEnvironment, AssumeDefaults = assumeDefaults });

    [Fact]
    public void Text_InteractiveTypedAnswer_ReturnsIt()
    {
        var console = new TestConsole();
        console.Input.PushTextWithEnter("alice");

        string answer = Interactive(console).Text("Name?");

        answer.ShouldBe("alice");
        console.Output.ShouldContain("Name?");
    }

    [Fact]
    public void Text_InteractiveEnterOnly_ReturnsDefault()
    {
        var console = new TestConsole();
        console.Input.PushKey(ConsoleKey.Enter);

        Interactive(console).Text("Project?", "demo").ShouldBe("demo");
    }

    [Fact]
    public void Text_InteractiveInvalidThenValid_ShowsErrorAndReturnsValid()
    {
        var console = new TestConsole();
        console.Input.PushTextWithEnter("abc");
        console.Input.PushTextWithEnter("42");

        string answer = Interactive(console).Text(
            "Port?", validate: s => int.TryParse(s, out _) ? null : "[not] a number");

        answer.ShouldBe("42");
        console.Output.ShouldContain("[not] a number");
    }

    [Fact]
    public void Text_QuestionWithMarkup_IsShownLiterally()
    {
        var console = new TestConsole();
        console.Input.PushTextWithEnter("x");

        Interactive(console).Text("Value for [red]key[/]?");

        console.Output.ShouldContain("Value for [red]key[/]?");
    }

    [Fact]
    public void Secret_Interactive_MasksInputAndReturnsIt()
    {
        var console = new TestConsole();
        console.Input.PushTextWithEnter("hunter2");

        string secret = Interactive(console).Secret("Password:");

        secret.ShouldBe("hunter2");
        console.Output.ShouldNotContain("hunter2");
        console.Output.ShouldContain("*******");
    }

    [Fact]
    public void Confirm_InteractiveYes_ReturnsTrue()
    {
        var console = new TestConsole();
        console.Input.PushTextWithEnter("y");

        Interactive(console).Confirm("Overwrite?").ShouldBeTrue();
    }

    [Fact]
    public void Confirm_InteractiveEnter_ReturnsDefault()
    {
        var console = new TestConsole();
        console.Input.PushKey(ConsoleKey.Enter);

        Interactive(console).Confirm("Continue?", defaultValue: true).ShouldBeTrue();
    }

    [Fact]
    public void Select_InteractiveArrowDown_ReturnsSecondChoice()
    {
        var console = new TestConsole();
        console.Input.PushKey(ConsoleKey.DownArrow);
        console.Input.PushKey(ConsoleKey.Enter);

        string choice = Interactive(console).Select("Format?", ["json", "yaml", "toml"]);

        choice.ShouldBe("yaml");
    }

    [Fact]
    public void Select_InteractiveWithDefault_StartsOnDefault()
    {
        var console = new TestConsole();
        console.Input.PushKey(ConsoleKey.Enter);

        int choice = Interactive(console).Select("Level?", [1, 2, 3], 3);

        choice.ShouldBe(3);
    }

    [Fact]
    public void Select_ChoiceTextWithMarkup_IsShownLiterally()
    {
        var console = new TestConsole();
        console.Input.PushKey(ConsoleKey.Enter);

        string choice = Interactive(console).Select("Pick", ["[red]a[/]", "b"]);

        choice.ShouldBe("[red]a[/]");
        console.Output.ShouldContain("[red]a[/]");
    }

    [Fact]
    public async Task TextAsync_Interactive_ReturnsTypedAnswer()
    {
        var console = new TestConsole();
        console.Input.PushTextWithEnter("bob");

        string answer = await Interactive(console).TextAsync("Name?", cancellationToken: TestContext.Current.CancellationToken);

        answer.ShouldBe("bob");
    }

    [Fact]
    public void AssumeDefaults_PromptsWithDefaults_ReturnDefaultsWithoutReading()
    {
        var console = new TestConsole();
        Prompt prompt = NonInteractive(console, assumeDefaults: true);

        prompt.Text("Name?", "anon").ShouldBe("anon");
        prompt.Confirm("Sure?", true).ShouldBeTrue();
        prompt.Select("Fmt?", ["a", "b"], "b").ShouldBe("b");
        console.Output.ShouldBeEmpty();
    }

    [Fact]
    public void AssumeDefaults_EvenWhenInteractive_DoesNotAsk()
    {
        var console = new TestConsole().Interactive();
        var prompt = new Prompt(console, new PromptOptions { AssumeDefaults = true });

        prompt.Confirm("Delete?").ShouldBeFalse();
        console.Output.ShouldBeEmpty();
    }

    [Fact]
    public void AssumeDefaults_PromptWithoutDefault_ThrowsPromptUnavailable()
    {
        Prompt prompt = NonInteractive(new TestConsole(), assumeDefaults: true);

        var ex = Should.Throw<PromptUnavailableException>(() => prompt.Text("API key?"));

        ex.Question.ShouldBe("API key?");
        ex.Message.ShouldContain("Cannot ask 'API key?' because input is not interactive");
        ex.Message.ShouldContain("--yes");
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void AssumeDefaults_FromXsysYesVariable(string value, bool expected)
    {
        var prompt = new Prompt(new TestConsole(), new PromptOptions { Environment = TestEnv.Of(("XSYS_YES", value)) });

        prompt.AssumeDefaults.ShouldBe(expected);
    }

    [Fact]
    public void NonInteractive_NoInputAndNoDefault_ThrowsInsteadOfHanging()
    {
        Prompt prompt = NonInteractive(new TestConsole());

        Should.Throw<PromptUnavailableException>(() => prompt.Secret("Password:"));
        Should.Throw<PromptUnavailableException>(() => prompt.Select("Env?", ["dev", "prod"]));
        Should.Throw<PromptUnavailableException>(() => prompt.Text("Name?"));
    }

    [Fact]
    public void NonInteractive_NoInputWithDefaults_ReturnsDefaults()
    {
        Prompt prompt = NonInteractive(new TestConsole());

        prompt.IsInteractive.ShouldBeFalse();
        prompt.Text("Name?", "anon").ShouldBe("anon");
        prompt.Confirm("Sure?").ShouldBeFalse();
    }

    [Fact]
    public void Piped_OneAnswerPerLine_AnswersPromptsInOrderAndEchoes()
    {
        var console = new TestConsole();
        Prompt prompt = Piped(console, "alice\nyes\n2\ns3cret\n");

        prompt.Text("Name?").ShouldBe("alice");
        prompt.Confirm("Sure?").ShouldBeTrue();
        prompt.Select("Env?", ["dev", "prod"]).ShouldBe("prod");
        prompt.Secret("Token:").ShouldBe("s3cret");

        console.Lines.ShouldBe(["Name? alice", "Sure? yes", "Env? prod", "Token: ***"]);
    }

    [Fact]
    public void Piped_SelectByTextIgnoringCase_ReturnsMatchingChoice()
    {
        Prompt prompt = Piped(new TestConsole(), "PROD\n");

        prompt.Select("Env?", ["dev", "prod"]).ShouldBe("prod");
    }

    [Fact]
    public void Piped_EmptyLineOrEndOfInput_UsesDefault()
    {
        Prompt prompt = Piped(new TestConsole(), "\n");

        prompt.Text("Name?", "anon").ShouldBe("anon");
        prompt.Confirm("Sure?", true).ShouldBeTrue(); // input ended
    }

    [Fact]
    public void Piped_EndOfInputWithoutDefault_Throws()
    {
        Prompt prompt = Piped(new TestConsole(), string.Empty);

        Should.Throw<PromptUnavailableException>(() => prompt.Text("Name?")).Message.ShouldContain("ended");
    }

    [Fact]
    public void Piped_InvalidAnswers_ThrowWithReason()
    {
        Should.Throw<PromptUnavailableException>(() => Piped(new TestConsole(), "maybe\n").Confirm("Sure?"))
            .Message.ShouldContain("expected yes or no");
        Should.Throw<PromptUnavailableException>(() => Piped(new TestConsole(), "9\n").Select("Env?", ["dev", "prod"]))
            .Message.ShouldContain("'dev', 'prod'");
        Should.Throw<PromptUnavailableException>(() => Piped(new TestConsole(), "x\n").Text("Port?", validate: _ => "not a number"))
            .Message.ShouldContain("not a number");
    }

    [Fact]
    public async Task ConfirmAsync_Piped_ReadsAnswer()
    {
        Prompt prompt = Piped(new TestConsole(), "no\n");

        bool answer = await prompt.ConfirmAsync("Sure?", true, TestContext.Current.CancellationToken);

        answer.ShouldBeFalse();
    }

    [Fact]
    public async Task SelectAsync_PipedNumber_ReturnsChoice()
    {
        Prompt prompt = Piped(new TestConsole(), "1\n");

        string answer = await prompt.SelectAsync("Env?", ["dev", "prod"], cancellationToken: TestContext.Current.CancellationToken);

        answer.ShouldBe("dev");
    }

    [Fact]
    public void ReadRedirectedInputFalse_IgnoresInputAndUsesDefault()
    {
        var prompt = new Prompt(new TestConsole(), new PromptOptions
        {
            Environment = NoEnvironment,
            Input = new StringReader("alice\n"),
            ReadRedirectedInput = false,
        });

        prompt.Text("Name?", "anon").ShouldBe("anon");
    }

    [Fact]
    public void Select_DefaultNotAChoiceOrNoChoices_ThrowsArgumentException()
    {
        Prompt prompt = NonInteractive(new TestConsole());

        Should.Throw<ArgumentException>(() => prompt.Select("Env?", ["dev"], "prod"));
        Should.Throw<ArgumentException>(() => prompt.Select("Env?", Array.Empty<string>()));
    }
}
