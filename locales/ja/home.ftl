# 感謝フォーム（モーダル）: テキストなしの /thanks、ショートカット、ホームタブのボタン。
form-title = 感謝を伝える
form-submit = 感謝を送る
form-close = キャンセル
form-recipients = 誰に感謝しますか？
form-message = 何をしてくれましたか？
form-message-hint = 具体的に: 「リリース前にレビューでバグを見つけてくれた」は「ありがとう」よりずっと伝わります。最後に #バリュー を書くと会社のバリューになります。
form-points = ポイント（任意）
form-points-hint = 1 人あたり最大 { $max } ポイント。今月の残りは { $remaining } ポイントです（{ $resets } にリセット）。
form-values = 会社のバリュー
form-channel = 投稿するチャンネル
form-link-note = このメッセージへの感謝: { $link }
form-err-value = バリューは一覧から選んでください。
form-err-channel = 感謝を投稿するチャンネルを選んでください。
form-failed = 感謝フォームを時間内に開けませんでした。もう一度お試しください。
thanks-post-link = { $link }への感謝
thanks-post-link-label = このメッセージ

# ホームタブ。
home-title-thanks = 感謝
home-title-oneonones = 1on1
home-title-questions = 質問
home-title-admin = 管理者
home-received = 最近受け取った感謝
home-given = 最近送った感謝
home-received-line = • { $who }から: { $message }
home-given-line = • { $who }へ: { $message }
home-say-thanks = 感謝を伝える
home-topics = 次回の話題
home-items = 未完了のアクションアイテム
home-none = まだ何もありません。
home-more = …ほか { $n } 件
home-admin-exports = CSV の書き出しはサーバーで実行します: `otagai export ledger -o ledger.csv`（ポイントの動きすべて）と `otagai org export -o org.csv`（組織図）。
home-welcome = *otagai へようこそ！* 3 つのコマンドで、頼り合うことが習慣になります:
home-welcome-thanks = *感謝を伝える:* `{ $cmd-thanks } @alex +10 リリース前のレビューでバグを見つけてくれてありがとう`。下のボタンからフォームでも送れます。
home-welcome-oneonone = *1on1 を続ける:* `{ $cmd-1on1 } add @sam biweekly`、終わったら `{ $cmd-1on1 } done @sam`。
home-welcome-ask = *助けを求める:* `{ $cmd-ask } #payroll 通勤手当の直し方は？`。必ず誰かが答えます。
home-to-answer = *あなたのトピックで回答待ちの質問*
home-admin-points = 今月贈られたポイント: { $allowance } のうち { $given }（今月使われ始めた予算の合計）。
home-admin-pairs = 予定どおりの 1on1 ペア: { $pairs } 組中 { $on_track } 組。
home-admin-late = 催促の時刻を過ぎても未回答の質問: { $n } 件。

# ホームタブの「話題を追加」フォーム。
home-add-topic = 話題を追加
home-topic-use-command = 話題は `{ $cmd-1on1 } topic @相手 話したいこと` で追加できます。
topic-form-title = 話題を追加
topic-form-submit = 追加
topic-form-label = 何について話したいですか？
topic-form-with = { $other } との次回の 1on1 の話題です。二人とも見られます（非公開メモではありません）。
topic-form-err-empty = 話したいことを書いてください。
topic-form-failed = フォームを時間内に開けませんでした。もう一度お試しください。
