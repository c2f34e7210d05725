## otagai のメッセージ(日本語)。en/main.ftl と同じキーをすべて持つ(テストで確認)。
## <@U…> のメンションを含む変数は呼び出し側で整形済み。
## コマンド名は直接書かない: { $cmd-thanks }、{ $cmd-bonus }、{ $cmd-1on1 }、{ $cmd-ask } が
## このワークスペースでの名前になる(どのメッセージでも使える。テストで確認)。

list-separator = 、
# 文中の1人(Slackのメンション)。
person = { $name } さん
date = { $month }月{ $day }日
points = { $n }ポイント

## ヘルプ
thanks-help-title = *{ $cmd-thanks } で感謝を伝える*
thanks-help-tip = 具体的に書くと伝わります。「ありがとう」より「リリース前にバグを見つけてくれて助かった」。相手はSlackの候補から選んで @名前 のリンクにしてください。
thanks-help-example = 例: `{ $cmd-thanks } @alex +10 リリース前にレビューでバグを見つけてくれて助かりました{ $tag }`
usage-thanks = 1人または複数の人に、みんなの前で感謝を伝える
usage-thanks-points = 今月の予算から1人あたりのポイントを添える(1人{ $max }ポイントまで)。会社のバリューもタグ付けできます
bonus-help-title = *{ $cmd-bonus } で感謝ポイントを見る*
usage-bonus-balance = 今月贈れる残りポイントと、受け取ったポイント
usage-bonus-top = 今月(または累計)ポイントを多く受け取った10人
usage-bonus-history = 最近贈った感謝・受け取った感謝(各10件)
usage-bonus-budget = (管理者)指定した人の月間ポイントを今月から変更
usage-bonus-budget-clear = (管理者)指定した人の月間ポイントを標準値に戻す
usage-bonus-budget-default = (管理者)全員の月間ポイントの標準値を今月から変更
usage-bonus-admins = (管理者)管理者の一覧・追加・削除
usage-bonus-grant = (管理者)指定した人に今月だけポイントを追加
help-values = タグ付けできるバリュー: { $values }

## 入力が読み取れなかったとき
err-unknown-command = { $command } というコマンドはありません。
err-no-recipient = 誰に感謝を伝えますか? 最初に相手をメンションしてください。例: `{ $cmd-thanks } @alex リリース手順を一緒に見てくれてありがとう`
err-plain-mention = 「{ $name }」と文字で入力されると、誰のことか判別できません。Slackの候補から相手を選んでメンションにしてください。例: { $example }
err-example-thanks = `{ $cmd-thanks } @alex リリース手順を一緒に見てくれてありがとう`
err-example-oneonone = `{ $cmd-1on1 } add @alex weekly`
err-example-bonus = `{ $cmd-bonus } grant @alex 50`
err-person-expected = ここでは1人を、Slackの候補から選んで指定してください。ユーザーグループやチャンネルは指定できません。
err-group-mention = ユーザーグループにはまとめて感謝を贈れません。感謝したい人を1人ずつメンションしてください。
err-channel-mention = チャンネルには感謝を贈れません。感謝したい人をメンションしてください。
err-points-not-whole = `{ $token }` はポイント数として読み取れません。`+10` のように1〜{ $max }の整数で指定してください。
err-no-message = 相手が何をしてくれたのか、ひとこと添えてください。例: `{ $cmd-thanks } @alex +10 リリース前にバグを見つけてくれて助かりました`
err-amount-not-whole = `{ $token }` は正しい数値ではありません。ポイントは整数で指定してください。
err-unknown-bonus = `{ $cmd-bonus } { $word }` というコマンドはありません。`{ $cmd-bonus } help` をお試しください。
err-usage = 使い方: `{ $usage }`

## 感謝を受け付けられなかったとき(何も変更していません)
refuse-self = 自分自身には感謝を贈れません。最近助けてくれたのは誰でしょう?
refuse-bot = { $user } はボットです。感謝は人に贈りましょう。
refuse-deactivated = { $user } はSlackで無効化されているため、感謝を受け取れません。
refuse-unknown-user = { $user } がこのワークスペースに見つかりませんでした。
refuse-too-many = 1回の感謝で指定できるのは{ $max }人までです。
refuse-points-range = ポイントは1人あたり1〜{ $max }の整数で指定してください。
refuse-no-message = 相手が何をしてくれたのか、ひとこと添えてください。
refuse-too-short = ポイントを贈るときは、メッセージを{ $min }文字以上にしてください(現在{ $got }文字)。何が助かったのかを具体的に書くと、相手にもしっかり伝わります。
refuse-over-budget = この感謝には{ points }が必要ですが、今月の残りは{ $remaining }ポイントです。{ $resets }にリセットされます。
    .hint = ポイントを減らすか、ポイントなしで感謝を伝えてください。
refuse-slack-unavailable = 宛先をSlackに確認できなかったため、送信していません。少し時間をおいてもう一度お試しください。
err-unexpected = システム側で問題が起きたため、何も変更していません。もう一度お試しください。繰り返し起きる場合は管理者にご連絡ください。

## 感謝を受け付けたとき
thanks-sent = { $recipients }への感謝を送りました。
thanks-sent-points = { $recipients }への感謝を1人あたり{ points }とともに送りました。今月の残りは{ $remaining }ポイントです({ $resets }にリセット)。
thanks-post = { $giver }から{ $recipients }へ感謝が届きました
thanks-post-points = 1人あたり +{ points }
thanks-post-values = バリュー: { $values }
thanks-dm = { $giver } さんから感謝が届きました: { $message }
thanks-dm-points = { points }を受け取りました。累計は `{ $cmd-bonus }` で確認できます。
thanks-working = 処理しています…

## /bonus
bonus-balance = *あなたの感謝ポイント*
    .budget = 今月贈れる残り: { $remaining } / { $allowance }ポイント({ $resets }にリセット)
    .received = 受け取ったポイント: 今月 { $month }ポイント ・ 累計 { $total }ポイント
bonus-top-month = *今月のランキング(受け取ったポイント)*
bonus-top-all = *これまでのランキング(受け取ったポイント)*
bonus-top-line = { $rank }. { $user } ・ { points }
bonus-top-empty = まだ誰もポイントを受け取っていません。`{ $cmd-thanks }` で最初の感謝を贈ってみましょう。
bonus-history-given = *贈った感謝*
bonus-history-received = *受け取った感謝*
bonus-history-line = { $date } ・ { $who } ・ { $message }
bonus-history-line-points = { $date } ・ { $who } ・ +{ points } ・ { $message }
bonus-history-empty = まだありません。

## 管理者
admin-only = この操作は感謝ポイントの管理者だけが行えます。管理者: { $admins }
admin-none = (管理者が設定されていません)
admin-budget-set = { $user } さんの月間ポイントを今月から{ points }に変更しました。
admin-budget-cleared = { $user } さんの月間ポイントを今月から標準値({ points })に戻しました。
admin-budget-default-set = 月間ポイントの標準値を今月から{ points }に変更しました。
admin-granted = { $user } さんに今月分として{ points }を追加しました。残りは{ $remaining }ポイントです。
admin-granted-dm = { $admin } さんにより、今月あなたが贈れるポイントが{ points }増えました。贈れる残りは{ $remaining }ポイントです。
admin-not-for-yourself = 管理者は自分の月間ポイントの変更や追加はできません。ほかの管理者に依頼してください: { $admins }。この操作は監査ログに記録されました。
admin-target-invalid = { $user } はボット、無効化されたユーザー、またはこのワークスペースにいないため、この操作はできません。
admin-added = { $user } さんを管理者に追加しました。
admin-already = { $user } さんはすでに管理者です。
admin-removed = { $user } さんを管理者から外しました。
admin-not-removable = { $user } さんは設定ファイル(bonus.admins)で管理者に指定されています。外す場合は設定ファイルを変更してください。
admin-not-admin = { $user } さんは管理者ではありません。
admin-list = 管理者: { $admins }

## Placeholders of the usage lines in help (the rest of a usage line is typed as shown).
ph-what-they-did = 具体的にしてくれたこと
ph-talk-about = 話したいこと
ph-question = 質問
ph-action-item = やること
ph-notes = [メモ]
ph-someone = @相手
ph-another = @別の人
ph-value = #バリュー
ph-topic = #トピック

## A DM to the bot in its Messages tab.
dm-help-title = *otagai でできること*(コマンドはどのチャンネルでも、ここでも使えます)
dm-help-thanks = • `{ $cmd-thanks } @alex +10 レビューでバグを見つけてくれて助かりました`: みんなの前で感謝を伝える(ポイントも添えられます)
dm-help-bonus = • `{ $cmd-bonus }`: あなたのポイントと今月の予算。`{ $cmd-bonus } top` でランキング
dm-help-oneonone = • `{ $cmd-1on1 } add @alex weekly`: 定期的な1on1とリマインダー。`{ $cmd-1on1 } todos` でやることの一覧
dm-help-ask = • `{ $cmd-ask } #payroll 給与の振込口座を変えるには?`: 困ったときに質問。必ず誰かが答えます
dm-help-tip = どのコマンドも `help` を付けるとすべての使い方が出ます(例: `{ $cmd-1on1 } help`)。
dm-type-the-command = メッセージからはコマンドを実行しません。ここかどのチャンネルでも、コマンドとして入力してください: `{ $command }`
dm-unknown = メッセージではなくコマンドにお答えします。`help` と送ると、できることが表示されます。
