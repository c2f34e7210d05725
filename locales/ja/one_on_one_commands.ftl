## /1on1 のヘルプと、入力が読み取れなかったときの返信。
## en/one_on_one_commands.ftl と同じキーをすべて持つ(テストで確認)。

## ヘルプ
help-oneonone-intro = *{ $cmd-1on1 } で1on1を続ける*: メンバーとの1on1を定期的に続け、話したいことやアクションアイテムを1か所にまとめます。相手はSlackの候補から選んで @名前 のリンクにしてください。
usage-oneonone-list = マネージャーとして、またメンバーとしての1on1の一覧
usage-oneonone-add = メンバーとの定期的な1on1を始める。頻度も指定できます(N日ごとは{ $max }日まで)。管理者以外が追加した場合は、相手が依頼を承認してから始まります
usage-oneonone-remove = このメンバーとの1on1をやめる（部下の側からマネージャーとの1on1を終えることもできます）
usage-oneonone-done = 1on1を実施したことを記録(日付を省略すると今日)。メモも残せます
usage-oneonone-topic = この人との次の1on1で話したいことを追加
usage-oneonone-todo = この人との1on1にアクションアイテムを追加
usage-oneonone-todos = すべての1on1の未完了のアクションアイテム
usage-oneonone-todo-done = アクションアイテムNを完了にする
usage-oneonone-notes = 最近の 1on1 のメモを読む（読めるのはお二人だけです）
usage-oneonone-snooze = このメンバーのリマインダーをN日間止める({ $max }日まで)
usage-oneonone-snooze-until = このメンバーのリマインダーを指定した日まで止める
usage-oneonone-pause = 再開するまで、このメンバーのリマインダーを止める
usage-oneonone-resume = 止めていたこのメンバーのリマインダーを再開する
usage-oneonone-feedback = メンバーから見たあなたの1on1の評価(集計)
usage-oneonone-report = (管理者)組織全体の1on1の状況

## 入力が読み取れなかったとき
err-oneonone-unknown = `{ $cmd-1on1 } { $word }` というコマンドはありません。`{ $cmd-1on1 } help` をお試しください。
err-oneonone-no-subcommand = 先にしたいこと、次に相手を指定してください。例: `{ $cmd-1on1 } done @alex`、`{ $cmd-1on1 } add @alex weekly`。使い方の一覧は `{ $cmd-1on1 } help` で確認できます。
err-oneonone-bad-cadence = `{ $cadence }` は頻度として読み取れません。weekly、biweekly、monthly、every Nd(Nは1〜{ $max })のいずれかで指定してください。例: `{ $cmd-1on1 } add @alex biweekly`、`{ $cmd-1on1 } add @alex every 10d`
err-oneonone-bad-date = `{ $token }` は日付として読み取れません。`2026-12-01` のように、実在する日付を YYYY-MM-DD の形式で指定してください。
err-oneonone-bad-snooze = `{ $token }` は期間として読み取れません。`{ $cmd-1on1 } snooze @alex 3d`(1〜{ $max }日)または `{ $cmd-1on1 } snooze @alex until 2026-12-01` のように指定してください。
err-oneonone-bad-todo-number = `{ $token }` はアクションアイテムの番号として読み取れません。`{ $cmd-1on1 } todos` に表示される番号を指定してください。例: `{ $cmd-1on1 } todo done 12`
err-oneonone-no-todo-text = アクションアイテムの内容を、相手の後に書いてください。例: `{ $cmd-1on1 } todo @alex 金曜までに採用計画の草案を共有する`
err-oneonone-no-topic-text = 話したいことを、相手の後に書いてください。例: `{ $cmd-1on1 } topic @alex オンコール当番の負担について`
