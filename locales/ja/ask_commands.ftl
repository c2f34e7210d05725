## /ask のヘルプと、入力が読み取れなかったときの返信。
## en/ask_commands.ftl と同じキーをすべて持つ(テストで確認)。

## ヘルプ
usage-ask-question = 質問します。一般的な質問の担当者に届きます
usage-ask-topic = トピックを指定して質問します。適切な担当者に届きます(トピックの一覧は `{ $cmd-ask } topics` で確認できます)
usage-ask-anon = 回答する人に名前を伏せて質問します
usage-ask-mine = まだ解決していない自分の質問の一覧
usage-ask-topics = 質問できるトピックと、それぞれの担当の一覧
usage-ask-stats = (管理者)質問と回答の件数などの集計

## 入力が読み取れなかったとき
err-ask-no-question = { $cmd-ask } の後に質問を書いてください。例: `{ $cmd-ask } #payroll 給与の振込口座を変更するにはどうすればいいですか？`
err-ask-bad-topic = `{ $token }` はトピック名として読み取れません。トピック名は `#payroll` のように、英小文字・数字・-・_ で40文字までです。一覧は `{ $cmd-ask } topics` で確認できます。
