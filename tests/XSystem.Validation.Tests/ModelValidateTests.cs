using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Validation.Internal;

namespace XSystem.Validation.Tests;

public sealed class ModelValidateTests
{
    [Fact]
    public void ModelValidate_IssueExampleDictionary_CoercesAge()
    {
        // Arrange
        var input = new Dictionary<string, object?> { ["name"] = "John", ["age"] = "30", ["email"] = "john@example.com" };

        // Act
        var user = User.ModelValidate(input);

        // Assert
        user.Name.ShouldBe("John");
        user.Age.ShouldBe(30);
        user.Email.ShouldBe("john@example.com");
        user.Tags.ShouldBeEmpty();
        user.Address.ShouldBeNull();
    }

    [Fact]
    public void ModelValidate_NestedDictionariesAndLists_BuildsGraph()
    {
        var input = new Dictionary<string, object?>
        {
            ["name"] = "Ann",
            ["age"] = 30L,
            ["address"] = new Dictionary<string, object?> { ["street"] = "Main", ["zip"] = "12345" },
            ["tags"] = new List<object?> { "a", "b" },
        };

        var user = User.ModelValidate(input);

        user.Address!.Street.ShouldBe("Main");
        user.Address.Zip.ShouldBe("12345");
        user.Tags.ShouldBe(["a", "b"]);
    }

    [Fact]
    public void ModelValidate_AnonymousObject_ReadsPublicProperties()
    {
        var user = User.ModelValidate(new { Name = "Bo", Age = 7.0, Address = new { Street = "S" } });

        user.Name.ShouldBe("Bo");
        user.Age.ShouldBe(7);
        user.Address!.Street.ShouldBe("S");
    }

    [Fact]
    public void ModelValidate_ModelInstance_ReturnsSameInstance()
    {
        var address = new Address { Street = "x" };

        var user = User.ModelValidate(new Dictionary<string, object?> { ["name"] = "a", ["age"] = 1, ["address"] = address });

        user.Address.ShouldBeSameAs(address);
    }

    [Fact]
    public void ModelValidate_ManyProblems_ThrowsWithEveryErrorAndReport()
    {
        var input = new Dictionary<string, object?> { ["age"] = 200, ["tags"] = new object?[] { "ok", 3 } };

        var ex = Should.Throw<ModelValidationException>(() => User.ModelValidate(input));

        ex.ShouldBeAssignableTo<ValidationException>();
        ex.Errors.Select(e => (e.Path, e.Type)).ShouldBe([("age", "less_than_equal"), ("tags.1", "string_type"), ("name", "missing")]);
        ex.Errors[1].Loc.ShouldBe(["tags", 1]);
        ex.Errors[1].Loc[1].ShouldBeOfType<int>();
        ex.Errors[0].Input.ShouldBe(200);
        ex.ErrorCount.ShouldBe(3);
        var report = ex.ToString();
        report.ShouldStartWith("3 validation errors for User\n");
        report.ShouldContain("age\n  Input should be less than or equal to 150 [type=less_than_equal, input=200]");
        report.ShouldContain("name\n  Field required [type=missing]");
    }

    [Fact]
    public void ModelValidateJson_ErrorInput_IsJsonNode()
    {
        var ex = Should.Throw<ModelValidationException>(() => User.ModelValidateJson("""{"name":"a","age":{"x":1}}"""));

        var input = ex.Errors.Single().Input.ShouldBeAssignableTo<JsonNode>()!;
        input.ToJsonString().ShouldBe("""{"x":1}""");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("{\"name\":\"a\",}")]
    public void ModelValidateJson_MalformedJson_ReportsJsonInvalid(string json)
    {
        var ex = Should.Throw<ModelValidationException>(() => User.ModelValidateJson(json));

        ex.Errors.Single().Type.ShouldBe("json_invalid");
        ex.Errors.Single().Loc.ShouldBeEmpty();
    }

    [Fact]
    public void ModelValidateJson_Utf8_Validates()
    {
        var user = User.ModelValidateJson("""{"name":"Zoë","age":3}"""u8);

        user.Name.ShouldBe("Zoë");
    }

    [Fact]
    public void ModelValidateJson_DepthBeyondLimit_ReportsJsonInvalidWithoutCrash()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            sb.Append("{\"name\":\"n\",\"next\":");
        }

        sb.Append("null").Append('}', 400);

        var ex = Should.Throw<ModelValidationException>(() => Node.ModelValidateJson(sb.ToString()));

        ex.Errors.Single().Type.ShouldBe("json_invalid");
    }

    [Fact]
    public void ModelValidateJson_DeepChain_BuildsWholeChain()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            sb.Append("{\"name\":\"n").Append(i).Append("\",\"next\":");
        }

        sb.Append("null").Append('}', 100);

        var node = Node.ModelValidateJson(sb.ToString());

        var count = 0;
        for (var n = node; n is not null; n = n.Next)
        {
            count++;
        }

        count.ShouldBe(100);
    }

    [Theory]
    [InlineData(5)]
    [InlineData("not json")]
    [InlineData(null)]
    [InlineData(true)]
    public void TryModelValidate_NotAnObject_ReturnsFalseWithoutThrowing(object? input)
    {
        var ok = User.TryModelValidate(input, out var model, out var errors);

        ok.ShouldBeFalse();
        model.ShouldBeNull();
        errors.ShouldNotBeEmpty();
    }

    [Fact]
    public void TryModelValidate_Valid_ReturnsModelAndNoErrors()
    {
        var ok = User.TryModelValidate(JsonNode.Parse("""{"name":"a","age":"5"}"""), out var model, out var errors);

        ok.ShouldBeTrue();
        model!.Age.ShouldBe(5);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public void ModelValidate_StrictDictionary_RejectsNumericString()
    {
        var input = new Dictionary<string, object?> { ["name"] = "a", ["age"] = "30" };

        var ex = Should.Throw<ModelValidationException>(() => User.ModelValidate(input, strict: true));

        ex.Errors.Single().Type.ShouldBe("int_type");
        User.ModelValidate(new Dictionary<string, object?> { ["name"] = "a", ["age"] = (short)30 }, strict: true).Age.ShouldBe(30);
    }

    [Theory]
    [InlineData(30.0, true)]
    [InlineData(30.5, false)]
    [InlineData(30f, true)]
    public void ModelValidate_FloatIntoInt_AcceptsOnlyWholeNumbers(object age, bool valid)
    {
        var ok = User.TryModelValidate(new Dictionary<string, object?> { ["name"] = "a", ["age"] = age }, out _, out var errors);

        ok.ShouldBe(valid);
        if (!valid)
        {
            errors.Single().Type.ShouldBe("int_from_float");
        }
    }

    [Fact]
    public void ModelValidate_ClrValues_ConvertAcrossDateTypes()
    {
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var id = Guid.NewGuid();

        var s = Scalars.ModelValidate(new Dictionary<string, object?>
        {
            ["when"] = when,
            ["at"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["id"] = id,
            ["color"] = Color.Blue,
            ["m"] = 3,
            ["link"] = new Uri("http://x/"),
        });

        s.When.ShouldBe(when.UtcDateTime);
        s.At.ShouldBe(when);
        s.Id.ShouldBe(id);
        s.Color.ShouldBe(Color.Blue);
        s.M.ShouldBe(3m);
        s.Link.ShouldBe(new Uri("http://x/"));
    }

    [Fact]
    public void ModelExtra_AllowPolicy_KeepsUnknownProperties()
    {
        var fromDict = Open.ModelValidate(new Dictionary<string, object?> { ["x"] = 3, ["extra"] = "e", ["n"] = 5 });
        var fromJson = Open.ModelValidateJson("""{"x":3,"extra":{"a":[1,2]}}""");

        fromDict.ModelExtra!["extra"]!.GetValue<string>().ShouldBe("e");
        fromDict.ModelExtra["n"]!.GetValue<int>().ShouldBe(5);
        fromJson.ModelExtra!["extra"]!.ToJsonString().ShouldBe("""{"a":[1,2]}""");
        fromJson.ModelDumpJson().ShouldBe("""{"x":3,"extra":{"a":[1,2]}}""");
    }

    [Fact]
    public void ModelExtra_IgnorePolicy_IsNull()
    {
        User.ModelValidateJson("""{"name":"a","age":1,"zzz":1}""").ModelExtra.ShouldBeNull();
    }

    [Fact]
    public void ModelDumpJson_RoundTrip_GivesEqualDump()
    {
        var user = User.ModelValidateJson("""{"name":"a","age":1,"email":"a@b.c","address":{"street":"s","zip":"12345","city":"c"},"tags":["t"]}""");

        var again = User.ModelValidateJson(user.ModelDumpJson(), strict: true);

        again.ModelDumpJson().ShouldBe(user.ModelDumpJson());
        user.ModelDump()["address"]!["city"]!.GetValue<string>().ShouldBe("c");
    }

    [Fact]
    public void ModelValidate_NullJsonNodeMembers_AreIndependentCopies()
    {
        var input = JsonNode.Parse("""{"payload":{"a":1}}""")!;

        var model = AnyModel.ModelValidate(input);
        input["payload"]!["a"] = 2;

        model.Payload!["a"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public void ModelValidate_Record_BindsPrimaryConstructor()
    {
        var p = ModelValidator.Validate<Point>(new Dictionary<string, object?> { ["x"] = "4", ["y"] = 5 });

        p.ShouldBe(new Point(4, 5));
    }

    [Fact]
    public void ModelValidate_ValidatorAndModelRule_RunInOrder()
    {
        var ok = Signup.ModelValidateJson("""{"name":"bob","password":"p","confirm":"p"}""");
        var ex = Should.Throw<ModelValidationException>(() => Signup.ModelValidateJson("""{"name":"a b","password":"p","confirm":"q"}"""));

        ok.Name.ShouldBe("BOB");
        ex.Errors.Single().Path.ShouldBe("name");
        ex.Errors.Single().Message.ShouldContain("must not contain spaces");
    }

    [Fact]
    public void ModelValidate_CyclicObjectGraphInstance_IsAcceptedAsIs()
    {
        var child = new Node { Name = "c" };
        var root = Node.ModelValidate(new Dictionary<string, object?> { ["name"] = "r", ["children"] = new[] { child } });

        root.Children.Single().ShouldBeSameAs(child);
    }

    [Fact]
    public void ModelValidate_SelfReferencingDictionary_ReportsRecursionLoopWithoutCrash()
    {
        var input = new Dictionary<string, object?> { ["name"] = "loop" };
        input["next"] = input;

        var ex = Should.Throw<ModelValidationException>(() => Node.ModelValidate(input));

        ex.Errors.Single().Type.ShouldBe("recursion_loop");
        ex.Errors.Single().Loc.Count.ShouldBeGreaterThan(ValidationState.MaxDepth);
    }

    [Fact]
    public void ModelValidate_DeeplyNestedJsonNode_ReportsRecursionLoop()
    {
        JsonNode deep = new JsonObject { ["name"] = "leaf" };
        for (var i = 0; i < 600; i++)
        {
            deep = new JsonObject { ["name"] = "n", ["children"] = new JsonArray(deep) };
        }

        var ok = Node.TryModelValidate(deep, out _, out var errors);

        ok.ShouldBeFalse();
        errors.Single().Type.ShouldBe("recursion_loop");
    }

    [Fact]
    public void ModelValidate_String_IsParsedAsJsonText()
    {
        var user = User.ModelValidate("""{"name":"s","age":"4"}""");
        var ex = Should.Throw<ModelValidationException>(() => User.ModelValidate("{oops"));

        user.Age.ShouldBe(4);
        ex.Errors.Single().Type.ShouldBe("json_invalid");
    }

    [Fact]
    public void ModelValidate_RecordWithModelRule_ReportsCrossFieldError()
    {
        var ok = ModelValidator.Validate<Range>(new Dictionary<string, object?> { ["lo"] = 1, ["hi"] = 2 });
        var ex = Should.Throw<ModelValidationException>(() => ModelValidator.Validate<Range>(new Dictionary<string, object?> { ["lo"] = 3, ["hi"] = 2 }));

        ok.Hi.ShouldBe(2);
        ex.Errors.Single().Loc.ShouldBeEmpty();
        ex.Errors.Single().Type.ShouldBe("range_order");
    }

    [Fact]
    public void ModelValidate_BadValidatorDefinition_ThrowsInvalidOperation()
    {
        Should.Throw<InvalidOperationException>(() => BadValidator.ModelValidate(new Dictionary<string, object?>()))
            .Message.ShouldContain("Nope");
    }

    [Fact]
    public void ModelValidate_UnsupportedMemberType_ThrowsNotSupported()
    {
        Should.Throw<NotSupportedException>(() => Unsupported.ModelValidate(new Dictionary<string, object?>()))
            .Message.ShouldContain("Unsupported.Handle");
    }

    [Fact]
    public void ModelValidate_EightThreads_BuildPlanOnceAndAgree()
    {
        // Arrange
        const int Threads = 8;
        var plans = new ModelPlan[Threads];
        var failures = 0;
        using var barrier = new Barrier(Threads);

        // Act
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            plans[t] = ModelPlan.For(typeof(ConcurrencyModel));
            for (var i = 0; i < 2000; i++)
            {
                var m = ConcurrencyModel.ModelValidateJson($$"""{"n":"{{i}}","items":[{"v":{{t}}}]}""");
                if (m.N != i || m.Items[0].V != t)
                {
                    Interlocked.Increment(ref failures);
                }

                if (ConcurrencyModel.TryModelValidate(JsonNode.Parse("""{"n":-1}"""), out _, out var errors) || errors[0].Type != "greater_than_equal")
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());

        // Assert
        failures.ShouldBe(0);
        plans.Distinct().Count().ShouldBe(1);
        ModelPlan.For(typeof(ConcurrencyItem)).ShouldBeSameAs(ModelPlan.For(typeof(ConcurrencyItem)));
    }
}

public sealed class ConcurrencyItem : XModel<ConcurrencyItem>
{
    public int V { get; init; }
}

public sealed class ConcurrencyModel : XModel<ConcurrencyModel>
{
    [Field(Ge = 0)]
    public int N { get; init; }

    public List<ConcurrencyItem> Items { get; init; } = [];
}

public sealed class BadValidator : XModel<BadValidator>
{
    public int X { get; init; } = 1;

    [FieldValidator("Nope")]
    private static int Check(int value) => value;
}

public sealed class Unsupported : XModel<Unsupported>
{
    public IntPtr Handle { get; init; }
}

public sealed record Range(int Lo, int Hi) : IValidatableModel
{
    public void Validate(ModelErrors errors)
    {
        if (Lo > Hi)
        {
            errors.Add(null, "range_order", "lo must not exceed hi", Lo);
        }
    }
}
