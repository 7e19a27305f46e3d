using RecurrentKif.Actors.Gateway;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Gateway;

public sealed class TaskSubmissionValidatorTests : IDisposable
{
    private readonly TaskFolder folder = new();

    public void Dispose() => folder.Dispose();

    private ValidatedSubmission Validate(string name, string source, string token = TaskFolder.Token, GatewaySettings? settings = null) =>
        new TaskSubmissionValidator(settings ?? folder.Settings()).Validate(new SubmitTask(name, source, token));

    private static TaskSubmissionResult Refused(ValidatedSubmission result, SubmissionRefusal why)
    {
        Assert.Null(result.Queue);
        var refusal = Assert.IsType<TaskSubmissionResult>(result.Refusal);
        Assert.Equal(why, refusal.Refusal);
        Assert.False(refusal.Accepted);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Error));
        return refusal;
    }

    [Fact]
    public void A_valid_relative_source_is_queued_with_its_absolute_folder()
    {
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming", "t1"), "parity");
        var result = Validate("parity", "incoming/t1");
        Assert.Null(result.Refusal);
        Assert.Equal(new QueueTask("parity", Path.Combine(folder.DataRoot, "incoming", "t1")), result.Queue);
    }

    [Fact]
    public void An_absolute_source_inside_the_data_root_and_a_missing_test_split_are_accepted()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t2"), "parity", 3, "train", "dev");
        var result = Validate("parity", task + "/");
        Assert.Equal(task, result.Queue?.Source);
    }

    [Fact]
    public void The_queued_folder_is_the_real_one_when_the_data_root_or_the_source_goes_through_an_inside_link()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "real"), "parity");
        Directory.CreateSymbolicLink(Path.Combine(folder.DataRoot, "alias"), "real");
        string linkedRoot = Path.Combine(folder.Base, "root-link");
        Directory.CreateSymbolicLink(linkedRoot, folder.DataRoot);

        var result = Validate("parity", "alias", settings: folder.Settings() with { DataRoot = linkedRoot });
        Assert.Equal(task, result.Queue?.Source);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("two words")]
    [InlineData("line\n")]
    [InlineData("ok\0")]
    public void A_bad_task_name_is_invalid(string name)
    {
        var refusal = Refused(Validate(name, "anything"), SubmissionRefusal.Invalid);
        Assert.Contains("task name", refusal.Error);
    }

    [Fact]
    public void A_name_longer_than_64_characters_is_invalid_and_64_is_fine()
    {
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "long"), new string('a', 64));
        Assert.NotNull(Validate(new string('a', 64), "long").Queue);
        Refused(Validate(new string('a', 65), "long"), SubmissionRefusal.Invalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("wrong-token-0123456789abcdef")]
    [InlineData("test-token-0123456789abcde")] // the right one less its last character
    public void A_missing_or_wrong_token_is_unauthenticated_before_anything_else_is_looked_at(string token)
    {
        // The source escapes the data root: an unauthenticated caller must not learn that.
        var refusal = Refused(Validate("parity", "../../etc", token), SubmissionRefusal.Unauthenticated);
        Assert.DoesNotContain(folder.DataRoot, refusal.Error);
    }

    [Fact]
    public void Without_a_configured_token_every_submission_is_refused()
    {
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity");
        var refusal = Refused(Validate("parity", "t", "", folder.Settings() with { Token = "" }), SubmissionRefusal.Unauthenticated);
        Assert.Contains("no token configured", refusal.Error);
    }

    [Fact]
    public void A_dot_dot_escape_is_refused_even_when_the_files_exist_there()
    {
        TaskFolder.WriteTask(folder.Outside, "parity");
        var refusal = Refused(Validate("parity", "../outside"), SubmissionRefusal.Invalid);
        Assert.Contains("outside the data root", refusal.Error);
        Assert.Contains(folder.Outside, refusal.Error);
    }

    [Fact]
    public void An_absolute_path_elsewhere_is_refused()
    {
        TaskFolder.WriteTask(folder.Outside, "parity");
        var refusal = Refused(Validate("parity", folder.Outside), SubmissionRefusal.Invalid);
        Assert.Contains("outside the data root", refusal.Error);
    }

    [Fact]
    public void A_folder_symlink_pointing_outside_is_refused()
    {
        TaskFolder.WriteTask(folder.Outside, "parity");
        Directory.CreateSymbolicLink(Path.Combine(folder.DataRoot, "escape"), folder.Outside);
        var refusal = Refused(Validate("parity", "escape"), SubmissionRefusal.Invalid);
        Assert.Contains($"resolves to '{folder.Outside}', outside the data root", refusal.Error);
    }

    [Fact]
    public void A_relative_symlink_climbing_out_through_dot_dot_is_refused()
    {
        TaskFolder.WriteTask(folder.Outside, "parity");
        Directory.CreateDirectory(Path.Combine(folder.DataRoot, "deep"));
        Directory.CreateSymbolicLink(Path.Combine(folder.DataRoot, "deep", "up"), "../../outside");
        Refused(Validate("parity", "deep/up"), SubmissionRefusal.Invalid);
    }

    [Fact]
    public void A_task_file_symlink_pointing_outside_is_refused()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "train", "test");
        TaskFolder.WriteTask(folder.Outside, "parity", 3, "dev");
        Directory.CreateDirectory(Path.Combine(task, "dev"));
        File.CreateSymbolicLink(Path.Combine(task, "dev", "parity.json"), Path.Combine(folder.Outside, "dev", "parity.json"));
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains("dev/parity.json", refusal.Error);
        Assert.Contains("outside the data root", refusal.Error);
    }

    [Fact]
    public void A_symlink_loop_is_refused_with_a_clear_error()
    {
        Directory.CreateSymbolicLink(Path.Combine(folder.DataRoot, "a"), "b");
        Directory.CreateSymbolicLink(Path.Combine(folder.DataRoot, "b"), "a");
        var refusal = Refused(Validate("parity", "a"), SubmissionRefusal.Invalid);
        Assert.Contains("symbolic links", refusal.Error);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("dev")]
    public void A_missing_required_split_is_named_with_its_expected_path(string missing)
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, missing == "train" ? "dev" : "train");
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains($"the {missing} split is missing", refusal.Error);
        Assert.Contains(Path.Combine(task, missing, "parity.json"), refusal.Error);
    }

    [Fact]
    public void A_missing_source_folder_or_empty_source_is_invalid()
    {
        Assert.Contains("does not exist", Refused(Validate("parity", "nowhere"), SubmissionRefusal.Invalid).Error);
        Assert.Contains("source is empty", Refused(Validate("parity", ""), SubmissionRefusal.Invalid).Error);
        Assert.Contains("control characters", Refused(Validate("parity", "a\nb"), SubmissionRefusal.Invalid).Error);
    }

    [Fact]
    public void A_malformed_record_is_refused_with_the_file_and_the_record()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "train", "dev");
        string test = Path.Combine(task, "test", "parity.json");
        Directory.CreateDirectory(Path.GetDirectoryName(test)!);
        File.WriteAllText(test, """[{"instruction": "i", "input": "x", "output": "yes"}, {"instruction": "i", "input": 5, "output": "no"}]""");
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains(test, refusal.Error);
        Assert.Contains("record 1", refusal.Error);
        Assert.Contains("'input'", refusal.Error);
    }

    [Fact]
    public void Json_lines_splits_are_accepted_and_a_bad_line_is_refused_with_its_number()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "dev");
        string train = Path.Combine(task, "train", "parity.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(train)!);
        File.WriteAllText(train, "{\"instruction\": \"i\", \"input\": \"2\", \"output\": \"yes\"}\n{\"instruction\": \"i\", \"input\": \"3\", \"output\": \"no\"}\n");
        Assert.Equal(task, Validate("parity", "t").Queue?.Source);

        File.AppendAllText(train, "{\"instruction\": \"i\", \"input\": \"4\"}\n");
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains(train, refusal.Error);
        Assert.Contains("line 3", refusal.Error);
        Assert.Contains("'output' is missing", refusal.Error);
    }

    [Fact]
    public void A_split_given_both_as_json_and_as_json_lines_is_refused()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity");
        File.Copy(Path.Combine(task, "dev", "parity.json"), Path.Combine(task, "dev", "parity.jsonl"));
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains("the dev split exists twice", refusal.Error);
    }

    [Fact]
    public void Invalid_json_is_refused_with_the_file()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "dev");
        string train = Path.Combine(task, "train", "parity.json");
        Directory.CreateDirectory(Path.GetDirectoryName(train)!);
        File.WriteAllText(train, "[{\"instruction\": ");
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains(train, refusal.Error);
        Assert.Contains("invalid JSON", refusal.Error);
    }

    [Fact]
    public void An_oversize_file_is_refused_before_it_is_parsed()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "train", "dev");
        long size = new FileInfo(Path.Combine(task, "dev", "parity.json")).Length;
        var refusal = Refused(Validate("parity", "t", settings: folder.Settings() with { MaxTaskFileBytes = size - 1 }), SubmissionRefusal.Invalid);
        Assert.Contains($"over the limit of {size - 1} bytes", refusal.Error);
        Assert.NotNull(Validate("parity", "t", settings: folder.Settings() with { MaxTaskFileBytes = size }).Queue);
    }

    [Fact]
    public void Too_many_records_are_refused()
    {
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3);
        var refusal = Refused(Validate("parity", "t", settings: folder.Settings() with { MaxRecordsPerSplit = 2 }), SubmissionRefusal.Invalid);
        Assert.Contains("holds 3 records, over the limit of 2", refusal.Error);
        Assert.NotNull(Validate("parity", "t", settings: folder.Settings() with { MaxRecordsPerSplit = 3 }).Queue);
    }

    [Fact]
    public void An_empty_record_array_is_refused()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "dev");
        Directory.CreateDirectory(Path.Combine(task, "train"));
        File.WriteAllText(Path.Combine(task, "train", "parity.json"), "[]");
        Assert.Contains("no records", Refused(Validate("parity", "t"), SubmissionRefusal.Invalid).Error);
    }

    [Fact]
    public async Task A_fifo_task_file_is_refused_at_once_instead_of_blocking_the_validation()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "train", "test");
        TaskFolder.MakeFifo(Path.Combine(task, "dev", "parity.json"));
        // A bounded wait that fails the test: before, the open itself blocked until a writer came (forever).
        var result = await Task.Run(() => Validate("parity", "t")).WaitAsync(TimeSpan.FromSeconds(20));
        var refusal = Refused(result, SubmissionRefusal.Invalid);
        Assert.Contains("a FIFO (named pipe), not a plain file", refusal.Error);
        Assert.Contains("dev/parity.json", refusal.Error);
    }

    [Fact]
    public void A_task_file_that_is_a_link_even_inside_the_data_root_is_refused()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "train", "test");
        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "elsewhere"), "parity", 3, "dev");
        Directory.CreateDirectory(Path.Combine(task, "dev"));
        File.CreateSymbolicLink(Path.Combine(task, "dev", "parity.json"), Path.Combine(folder.DataRoot, "elsewhere", "dev", "parity.json"));
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains("is a symbolic link; a task file must be a plain file", refusal.Error);
    }

    [Fact]
    public void A_task_file_given_as_a_folder_is_refused()
    {
        string task = TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "t"), "parity", 3, "train", "test");
        Directory.CreateDirectory(Path.Combine(task, "dev", "parity.json"));
        var refusal = Refused(Validate("parity", "t"), SubmissionRefusal.Invalid);
        Assert.Contains("a folder, not a plain file", refusal.Error);
    }
}
