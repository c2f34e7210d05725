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
